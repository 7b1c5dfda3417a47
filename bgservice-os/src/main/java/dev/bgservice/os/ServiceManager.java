package dev.bgservice.os;

import dev.bgservice.platform.OperatingSystem;

/** The service managers bgservice can install into. */
public enum ServiceManager {
  /** Linux systemd: a user or system unit. */
  SYSTEMD,
  /** macOS launchd: a per-user agent (or a system daemon). */
  LAUNCHD,
  /** Windows: a Scheduled Task at logon (user) or a procrun service (system). */
  WINDOWS,
  /** No service manager: a detached process with a pid file (containers, the demo). */
  DETACHED;

  /** The manager of an operating system; {@link #DETACHED} where none is supported. */
  public static ServiceManager forOperatingSystem(OperatingSystem os) {
    return switch (os) {
      case LINUX -> SYSTEMD;
      case MACOS -> LAUNCHD;
      case WINDOWS -> WINDOWS;
      case OTHER -> DETACHED;
    };
  }

  /** The manager of the operating system this JVM runs on. */
  public static ServiceManager current() {
    return forOperatingSystem(OperatingSystem.current());
  }
}
