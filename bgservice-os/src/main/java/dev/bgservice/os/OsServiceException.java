package dev.bgservice.os;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;

/** An OS service operation failed; the message is one sentence a person can act on. */
public final class OsServiceException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** A service manager command exited with an error or could not be run. */
  public static final ErrorCode COMMAND_FAILED = ErrorCode.of("command_failed");
  /** A command's program could not be started: it is missing, or not executable. */
  public static final ErrorCode PROGRAM_NOT_FOUND = ErrorCode.of("program_not_found");
  /** The operation needs an installed service and there is none for the label. */
  public static final ErrorCode NOT_INSTALLED = ErrorCode.of("not_installed");
  /** The sidecar did not pass the pre-install probe. */
  public static final ErrorCode VALIDATION_FAILED = ErrorCode.of("validation_failed");

  /** With a code and message. */
  public OsServiceException(ErrorCode code, String message) {
    super(code, message);
  }

  /** With a code, message and cause. */
  public OsServiceException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }

  /** A command that exited with a non-zero status. */
  public static OsServiceException commandFailed(Command command, CommandResult result) {
    String detail = result.firstMessageLine();
    return new OsServiceException(
        COMMAND_FAILED,
        command.display()
            + " failed with exit status "
            + result.exitCode()
            + (detail.isEmpty() ? "" : ": " + detail));
  }

  /** There is nothing installed under {@code label}. */
  public static OsServiceException notInstalled(String label, String where) {
    return new OsServiceException(
        NOT_INSTALLED, "No service '" + label + "' is installed (looked for " + where + ")");
  }
}
