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

  /** What a POSIX shell returns for a command whose program it cannot find. */
  public static final int PROGRAM_NOT_FOUND = 127;

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

  /**
   * The answer a dry run gives for a query whose program this machine does not have (the plan
   * for another OS's service manager): exit status {@link #PROGRAM_NOT_FOUND}, as from a shell.
   */
  public static CommandResult programNotFound(Command command, String why) {
    return new CommandResult(
        PROGRAM_NOT_FOUND, "", command.program() + ": not found (" + why + ")");
  }

  /** Whether the program could not be found (see {@link #programNotFound(Command, String)}). */
  public boolean programWasNotFound() {
    return exitCode == PROGRAM_NOT_FOUND;
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
