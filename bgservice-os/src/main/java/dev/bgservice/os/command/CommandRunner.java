package dev.bgservice.os.command;

/**
 * Runs external commands. Every command that would touch the machine's service managers
 * ({@code systemctl}, {@code launchctl}, {@code loginctl}, {@code sc.exe}, {@code schtasks},
 * {@code prunsrv}) goes through one of these, so that a dry run or a test can record them
 * instead: see {@link RecordingCommandRunner}.
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs {@code command} to completion and returns what it did. A non-zero exit status is a
   * result, not an exception.
   *
   * @throws dev.bgservice.os.OsServiceException when the program cannot be started or does not
   *     finish in time
   */
  CommandResult run(Command command);

  /** Runs commands as real child processes of this JVM. */
  static CommandRunner system() {
    return new ProcessCommandRunner();
  }
}
