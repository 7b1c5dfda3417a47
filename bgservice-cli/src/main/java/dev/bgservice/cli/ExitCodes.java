package dev.bgservice.cli;

/** The exit codes of every {@code bgs} command. */
final class ExitCodes {
  /** The command did what was asked. */
  static final int OK = 0;
  /** The operation failed (for example: already running); the reason is on stderr. */
  static final int FAILED = 1;
  /** The command line was wrong. */
  static final int USAGE = 2;
  /** The sidecar cannot be reached. */
  static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
