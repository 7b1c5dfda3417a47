package dev.bgservice.os.command;

import java.util.List;

/** How a command line is written out for a person to read or paste into a shell. */
public enum CommandSyntax {
  /** A POSIX shell: words quoted with single quotes where needed. */
  POSIX,
  /** Windows: words quoted so that {@code CommandLineToArgvW} gives them back unchanged. */
  WINDOWS;

  /** Joins {@code argv} into one command line in this syntax. */
  public String join(List<String> argv) {
    return this == POSIX ? PosixQuoting.join(argv) : WindowsQuoting.join(argv);
  }
}
