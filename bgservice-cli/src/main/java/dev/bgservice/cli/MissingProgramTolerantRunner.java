package dev.bgservice.cli;

import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.CommandRunner;
import java.io.IOException;
import java.util.Objects;

/**
 * The command runner of a dry run: a command whose program cannot be started answers like a
 * shell would, with exit status 127 and a "not found" message, instead of ending the dry run.
 * That lets {@code --dry-run} print the plan for a service manager this machine does not have
 * (the launchd plan on Linux, say): a missing {@code launchctl print} reads as "not loaded".
 *
 * <p>Only dry runs use it: there, only read-only queries reach a runner at all.
 */
final class MissingProgramTolerantRunner implements CommandRunner {
  /** What a POSIX shell returns for a command it cannot find. */
  static final int NOT_FOUND = 127;

  private final CommandRunner delegate;

  MissingProgramTolerantRunner(CommandRunner delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public CommandResult run(Command command) {
    try {
      return delegate.run(command);
    } catch (OsServiceException e) {
      if (e.getCause() instanceof IOException) {
        return new CommandResult(NOT_FOUND, "", command.program() + ": not found (" + e.getMessage() + ")");
      }
      throw e;
    }
  }
}
