package dev.bgservice.platform;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happened when {@link SystemCommands} ran one command: how it ended, its exit code when
 * it exited, and what it printed (each stream capped, see {@link SystemCommands}).
 *
 * @param command the command as asked for, program name first
 * @param outcome how the command ended
 * @param exitCode the exit code, present exactly when the outcome is {@link Outcome#EXITED}
 * @param stdout what the command printed on standard output, decoded as UTF-8
 * @param stderr what the command printed on standard error, decoded as UTF-8; for {@link
 *     Outcome#FAILED_TO_START} the reason it could not be started
 */
public record CommandResult(
    List<String> command, Outcome outcome, OptionalInt exitCode, String stdout, String stderr) {

  /** How a command ended. */
  public enum Outcome {
    /** The command ran and exited by itself; the exit code is known. */
    EXITED,
    /** The program was not found on the search path (or is not executable). */
    NOT_AVAILABLE,
    /** The program was found but could not be started. */
    FAILED_TO_START,
    /** The command did not finish in time and was killed, with its child processes. */
    TIMED_OUT,
    /** The waiting thread was interrupted; the command was killed. */
    INTERRUPTED
  }

  /** Checks that no component is null, that the command is not empty, and the exit code rule. */
  public CommandResult {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    if (exitCode.isPresent() != (outcome == Outcome.EXITED)) {
      throw new IllegalArgumentException("exitCode must be present exactly when the command exited");
    }
  }

  /** True when the command ran and exited with code 0. */
  public boolean succeeded() {
    return outcome == Outcome.EXITED && exitCode.getAsInt() == 0;
  }

  /** True when the command ran and exited by itself, whatever its exit code. */
  public boolean exited() {
    return outcome == Outcome.EXITED;
  }

  /** The first non-blank line of standard output, trimmed, if there is one. */
  public Optional<String> firstStdoutLine() {
    return firstLine(stdout);
  }

  /** The first non-blank line of standard error, trimmed, if there is one. */
  public Optional<String> firstStderrLine() {
    return firstLine(stderr);
  }

  /**
   * One sentence for a person saying what happened, e.g. {@code `systemctl --user
   * is-system-running` exited with code 1: Failed to connect to bus}.
   */
  public String describe() {
    String shown = "`" + String.join(" ", command) + "`";
    return switch (outcome) {
      case EXITED -> shown + " exited with code " + exitCode.getAsInt()
          + firstStderrLine().or(this::firstStdoutLine).map(l -> ": " + l).orElse("");
      case NOT_AVAILABLE -> "`" + command.get(0) + "` was not found";
      case FAILED_TO_START -> shown + " could not be started"
          + firstStderrLine().map(l -> ": " + l).orElse("");
      case TIMED_OUT -> shown + " did not answer in time and was stopped";
      case INTERRUPTED -> shown + " was stopped because the caller was interrupted";
    };
  }

  private static Optional<String> firstLine(String text) {
    return text.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst();
  }
}
