package dev.bgservice.os.command;

import java.util.List;
import java.util.Objects;

/**
 * One external command a backend runs: its argument vector (no shell involved), whether it
 * changes the machine, and how to print it.
 *
 * @param argv the program and its arguments; never empty
 * @param kind whether the command only reads state
 * @param syntax how {@link #display()} quotes the words
 */
public record Command(List<String> argv, CommandKind kind, CommandSyntax syntax) {

  /** Copies {@code argv} and checks it names a program. */
  public Command {
    argv = List.copyOf(argv);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(syntax, "syntax");
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("a command needs a program name");
    }
  }

  /** A POSIX command that only reads state. */
  public static Command query(String... argv) {
    return new Command(List.of(argv), CommandKind.QUERY, CommandSyntax.POSIX);
  }

  /** A POSIX command that changes the machine. */
  public static Command change(String... argv) {
    return new Command(List.of(argv), CommandKind.CHANGE, CommandSyntax.POSIX);
  }

  /** The program: the first word. */
  public String program() {
    return argv.get(0);
  }

  /** The command as one line, quoted so it can be pasted into a shell of its syntax. */
  public String display() {
    return syntax.join(argv);
  }

  @Override
  public String toString() {
    return display();
  }
}
