package dev.bgservice.os.systemd;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version of the installed systemd, which decides which unit settings can be used. */
public final class SystemdVersion {
  /** {@code RestartSteps=} and {@code RestartMaxDelaySec=} exist from this version on. */
  public static final int RESTART_STEPS = 254;
  /** {@code StandardOutput=append:} exists from this version on. */
  public static final int APPEND_OUTPUT = 240;

  private static final Pattern FIRST_LINE = Pattern.compile("^systemd (\\d+)\\b");

  private SystemdVersion() {}

  /**
   * Reads the version from the output of {@code systemctl --version}, whose first line is
   * {@code systemd 252 (252.38-1~deb12u1)}.
   */
  public static OptionalInt parse(String versionOutput) {
    Matcher matcher = FIRST_LINE.matcher(versionOutput.strip());
    if (!matcher.find()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(matcher.group(1)));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
