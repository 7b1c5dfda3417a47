package dev.bgservice.os.naming;

import dev.bgservice.service.ServiceLabel;
import java.util.regex.Pattern;

/**
 * Each service manager's rules for the name bgservice installs under: the service label itself,
 * so that {@code systemctl --user status <label>}, {@code launchctl print gui/<uid>/<label>} and
 * {@code sc query <label>} all work with the name the user chose.
 *
 * <p>The rules are the managers' own, narrowed where a legal name would still cause trouble
 * (a leading {@code -} reads as an option on every command line).
 */
public final class NamingRules {
  /** systemd's unit name limit, including the {@code .service} suffix. */
  public static final int SYSTEMD_MAX_UNIT_NAME = 255;
  /** File names on macOS are at most 255 bytes; the plist adds {@code .plist}. */
  public static final int LAUNCHD_MAX_LABEL = 255 - ".plist".length();
  /** The Service Control Manager's limit for a service name. */
  public static final int WINDOWS_MAX_SERVICE_NAME = 256;

  private static final Pattern SYSTEMD_CHARS = Pattern.compile("[A-Za-z0-9:_.\\-]+");
  private static final Pattern LAUNCHD_CHARS = Pattern.compile("[A-Za-z0-9._\\-]+");
  private static final Pattern WINDOWS_CHARS = Pattern.compile("[A-Za-z0-9._\\-]+");

  private NamingRules() {}

  /** The systemd unit name of a label: {@code <label>.service}. */
  public static String systemdUnitName(String label) {
    return label + ".service";
  }

  /**
   * Checks a label can name a systemd unit: ASCII letters, digits, {@code : _ . -}; not
   * starting with {@code -} or {@code .}; at most 255 characters with {@code .service}. The
   * {@code @} systemd allows is refused because it would make the unit a template.
   */
  public static String checkSystemd(String label) {
    checkBase(label);
    if (!SYSTEMD_CHARS.matcher(label).matches()) {
      throw invalid(
          "systemd",
          label,
          "may only contain ASCII letters, digits, ':', '_', '.' and '-'"
              + offending(label, SYSTEMD_CHARS));
    }
    checkStart(label, "systemd");
    if (systemdUnitName(label).length() > SYSTEMD_MAX_UNIT_NAME) {
      throw invalid(
          "systemd",
          label,
          "is too long: the unit name '<label>.service' may have at most "
              + SYSTEMD_MAX_UNIT_NAME
              + " characters");
    }
    return label;
  }

  /**
   * Checks a label can name a launchd job: ASCII letters, digits, {@code . _ -} (reverse-DNS
   * style, e.g. {@code com.example.sync}); not starting with {@code -} or {@code .}; not in
   * Apple's {@code com.apple.} namespace; short enough for its plist file name.
   */
  public static String checkLaunchd(String label) {
    checkBase(label);
    if (!LAUNCHD_CHARS.matcher(label).matches()) {
      throw invalid(
          "launchd",
          label,
          "may only contain ASCII letters, digits, '.', '_' and '-' (reverse-DNS style, e.g."
              + " com.example.sync)"
              + offending(label, LAUNCHD_CHARS));
    }
    checkStart(label, "launchd");
    if (label.toLowerCase(java.util.Locale.ROOT).startsWith("com.apple.")) {
      throw invalid("launchd", label, "must not use Apple's reserved prefix 'com.apple.'");
    }
    if (label.length() > LAUNCHD_MAX_LABEL) {
      throw invalid(
          "launchd", label, "is too long: at most " + LAUNCHD_MAX_LABEL + " characters fit a plist file name");
    }
    return label;
  }

  /**
   * Checks a label can name a Windows service and Scheduled Task: ASCII letters, digits,
   * {@code . _ -}, at most 256 characters. Windows compares these names ignoring case.
   */
  public static String checkWindows(String label) {
    checkBase(label);
    if (!WINDOWS_CHARS.matcher(label).matches()) {
      throw invalid(
          "Windows",
          label,
          "may only contain ASCII letters, digits, '.', '_' and '-'" + offending(label, WINDOWS_CHARS));
    }
    checkStart(label, "Windows");
    if (label.length() > WINDOWS_MAX_SERVICE_NAME) {
      throw invalid(
          "Windows", label, "is too long: a service name has at most " + WINDOWS_MAX_SERVICE_NAME + " characters");
    }
    return label;
  }

  /**
   * Checks a label can name the files of a detached service: the base rules plus the Windows
   * file name characters, so the same label works everywhere.
   */
  public static String checkDetached(String label) {
    return checkWindows(label);
  }

  private static void checkBase(String label) {
    try {
      ServiceLabel.validate(label);
    } catch (IllegalArgumentException e) {
      throw new InvalidLabelException(e.getMessage());
    }
  }

  private static void checkStart(String label, String manager) {
    if (label.startsWith("-") || label.startsWith(".")) {
      throw invalid(manager, label, "must not start with '-' or '.'");
    }
  }

  private static String offending(String label, Pattern allowed) {
    int[] codePoints = label.codePoints().toArray();
    for (int c : codePoints) {
      String character = new String(Character.toChars(c));
      if (!allowed.matcher(character).matches()) {
        return c == ' ' ? "; found a space" : "; found '" + character + "'";
      }
    }
    return "";
  }

  private static InvalidLabelException invalid(String manager, String label, String rule) {
    return new InvalidLabelException(
        "The service label '" + label + "' cannot be used with " + manager + ": it " + rule + ".");
  }
}
