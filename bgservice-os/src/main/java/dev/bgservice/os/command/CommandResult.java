package dev.bgservice.os.command;

import dev.bgservice.os.OsServiceException;
import java.util.Objects;

/**
 * What a finished command returned.
 *
 * @param exitCode the process exit status
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record CommandResult(int exitCode, String stdout, String stderr) {

  /** Checks that no text is null. */
  public CommandResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** Exit status 0 and no output. */
  public static CommandResult success() {
    return new CommandResult(0, "", "");
  }

  /** Exit status 0 with the given standard output. */
  public static CommandResult success(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  /** Whether the exit status is 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * Returns this result when the command succeeded.
   *
   * @throws OsServiceException naming the command, its exit status and the first line it wrote
   *     to standard error
   */
  public CommandResult requireSuccess(Command command) {
    if (succeeded()) {
      return this;
    }
    throw OsServiceException.commandFailed(command, this);
  }

  /** The first non-blank line of standard error, else of standard output, else empty. */
  public String firstMessageLine() {
    for (String text : new String[] {stderr, stdout}) {
      for (String line : text.split("\\R")) {
        if (!line.isBlank()) {
          return line.strip();
        }
      }
    }
    return "";
  }
}
