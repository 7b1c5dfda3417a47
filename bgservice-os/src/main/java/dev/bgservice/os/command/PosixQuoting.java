package dev.bgservice.os.command;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Quotes words for a POSIX shell, so a printed command can be pasted and runs unchanged. */
public final class PosixQuoting {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private PosixQuoting() {}

  /** One word: unchanged when it holds only characters no shell treats specially. */
  public static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    // Inside single quotes nothing is special; a single quote itself ends the quoted part, is
    // written escaped, and a new quoted part begins.
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Words joined by spaces, each quoted as needed. */
  public static String join(List<String> argv) {
    return argv.stream().map(PosixQuoting::quote).collect(Collectors.joining(" "));
  }
}
