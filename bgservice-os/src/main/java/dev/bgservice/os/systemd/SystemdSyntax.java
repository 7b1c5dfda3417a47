package dev.bgservice.os.systemd;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes values into a systemd unit file so that systemd reads back exactly the intended
 * string (systemd.syntax(7), systemd.service(5) "Command lines", systemd.unit(5) "Specifiers").
 *
 * <ul>
 *   <li>Every setting expands specifiers, so {@code %} is written {@code %%}.
 *   <li>Command line arguments (not the program) also expand environment variables, so
 *       {@code $} is written {@code $$};
 *       a word with anything but plain characters is double-quoted, with C-style escapes for
 *       {@code \}, {@code "} and control characters.
 *   <li>{@code Environment=} assignments are double-quoted the same way but not
 *       variable-expanded, so {@code $} stays as it is.
 *   <li>Path settings ({@code WorkingDirectory=}, {@code StandardOutput=append:}) are taken
 *       literally apart from specifiers; they cannot hold control characters or end in
 *       whitespace, which the parser would strip.
 * </ul>
 */
public final class SystemdSyntax {
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@+=:,./\\-]+");

  private SystemdSyntax() {}

  /** A command line for {@code ExecStart=}; the program must be an absolute path. */
  public static String commandLine(List<String> argv) {
    if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
      throw new IllegalArgumentException(
          "systemd needs an absolute path to the program, got '" + (argv.isEmpty() ? "" : argv.get(0)) + "'");
    }
    return executable(argv.get(0))
        + argv.stream().skip(1).map(w -> " " + commandWord(w)).collect(Collectors.joining());
  }

  /**
   * The program of a command line. systemd takes it without variable expansion and refuses
   * one containing quotes, backslashes or control characters ("Executable name contains
   * special characters"), so those are refused here with advice instead.
   */
  public static String executable(String path) {
    if (path.chars().anyMatch(c -> c == '"' || c == '\'' || c == '\\' || c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "systemd cannot run a program whose path contains a quote, a backslash or a control"
              + " character: '" + path.replaceAll("\\p{Cntrl}", "?") + "'; use a symbolic link without them");
    }
    String escaped = path.replace("%", "%%");
    return PLAIN_WORD.matcher(path).matches() ? escaped : "\"" + escaped + "\"";
  }

  /** One word of a command line. */
  public static String commandWord(String word) {
    String escaped = word.replace("%", "%%").replace("$", "$$");
    if (PLAIN_WORD.matcher(word).matches()) {
      return escaped;
    }
    return quoted(escaped, "a command line argument");
  }

  /** The value of an {@code Environment=} line for one variable: {@code "NAME=value"}. */
  public static String environmentAssignment(String name, String value) {
    return quoted((name + "=" + value).replace("%", "%%"), "the environment variable " + name);
  }

  /** A path for a setting that takes one path literally, e.g. {@code WorkingDirectory=}. */
  public static String path(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("systemd needs an absolute path, got '" + path + "'");
    }
    rejectControl(path, "the path " + path);
    if (!path.equals(path.stripTrailing())) {
      throw new IllegalArgumentException(
          "systemd cannot use a path that ends in whitespace: '" + path + "'");
    }
    return path.replace("%", "%%");
  }

  /** Free text for settings like {@code Description=}: one line, specifiers escaped. */
  public static String text(String text) {
    rejectControl(text, "the text '" + text + "'");
    return text.strip().replace("%", "%%");
  }

  /** A time span: whole seconds as a bare number, anything finer in milliseconds. */
  public static String timeSpan(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "ms";
  }

  private static String quoted(String value, String what) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '\0' -> throw new IllegalArgumentException(what + " contains a NUL character");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void rejectControl(String value, String what) {
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(what.replaceAll("\\p{Cntrl}", "?") + " contains a control character, which a systemd unit cannot hold");
    }
  }
}
