package dev.bgservice.os.command;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes words into a Windows command line that {@code CommandLineToArgvW} (and the Microsoft
 * C runtime) splits back into exactly the same words.
 *
 * <p>The rules being inverted: whitespace separates words outside double quotes; {@code 2n}
 * backslashes followed by a quote give {@code n} backslashes and toggle quoting; {@code 2n+1}
 * backslashes followed by a quote give {@code n} backslashes and a literal quote; backslashes
 * not followed by a quote are literal. Percent signs are not touched: they are only special to
 * {@code cmd.exe}, and these command lines are meant for {@code CreateProcess}.
 */
public final class WindowsQuoting {

  private WindowsQuoting() {}

  /** One word, quoted only when it is empty or holds whitespace or a quote. */
  public static String quote(String word) {
    if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"'
        || c == '\n' || c == '\u000b')) {
      return word;
    }
    StringBuilder out = new StringBuilder(word.length() + 8).append('"');
    int backslashes = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '\\') {
        backslashes++;
        continue;
      }
      if (c == '"') {
        // Double the pending backslashes and escape the quote itself.
        out.append("\\".repeat(backslashes * 2 + 1)).append('"');
      } else {
        out.append("\\".repeat(backslashes)).append(c);
      }
      backslashes = 0;
    }
    // Backslashes before the closing quote must be doubled or they would escape it.
    out.append("\\".repeat(backslashes * 2)).append('"');
    return out.toString();
  }

  /** Words joined by spaces, each quoted as needed. */
  public static String join(List<String> argv) {
    return argv.stream().map(WindowsQuoting::quote).collect(Collectors.joining(" "));
  }
}
