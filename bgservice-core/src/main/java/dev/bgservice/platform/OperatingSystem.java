package dev.bgservice.platform;

import java.util.Locale;

/** The operating system families the product distinguishes. */
public enum OperatingSystem {
  LINUX("linux"),
  MACOS("macos"),
  WINDOWS("windows"),
  OTHER("other");

  private final String wireName;

  OperatingSystem(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire ({@code platform} fields). */
  public String wireName() {
    return wireName;
  }

  /** The system this JVM runs on. */
  public static OperatingSystem current() {
    return fromOsName(System.getProperty("os.name", ""));
  }

  /** Classifies a value of the {@code os.name} system property. */
  public static OperatingSystem fromOsName(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return LINUX;
    } else if (name.startsWith("mac") || name.startsWith("darwin")) {
      return MACOS;
    } else if (name.startsWith("windows")) {
      return WINDOWS;
    }
    return OTHER;
  }
}
