package dev.bgservice.os.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference implementation of how {@code CommandLineToArgvW} (and the Microsoft C runtime)
 * split the arguments after the program name, to check quoting by round trip: whitespace
 * separates words outside quotes; {@code 2n} backslashes before a quote give {@code n}
 * backslashes and the quote toggles quoting; {@code 2n+1} give {@code n} and a literal quote;
 * other backslashes are literal; {@code ""} inside quotes is a literal quote.
 */
public final class WindowsArgv {
  private WindowsArgv() {}

  /** Splits a command line into words. */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        return words;
      }
      StringBuilder word = new StringBuilder();
      boolean quoted = false;
      while (i < n) {
        char c = line.charAt(i);
        if (!quoted && (c == ' ' || c == '\t')) {
          break;
        }
        if (c == '\\') {
          int start = i;
          while (i < n && line.charAt(i) == '\\') {
            i++;
          }
          int count = i - start;
          if (i < n && line.charAt(i) == '"') {
            word.append("\\".repeat(count / 2));
            if (count % 2 == 1) {
              word.append('"');
              i++;
            }
          } else {
            word.append("\\".repeat(count));
          }
        } else if (c == '"') {
          if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
            word.append('"');
            i += 2;
          } else {
            quoted = !quoted;
            i++;
          }
        } else {
          word.append(c);
          i++;
        }
      }
      words.add(word.toString());
    }
  }
}
