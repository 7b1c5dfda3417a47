package dev.bgservice.platform;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the product keeps its files by default, per platform conventions. Every location can
 * be overridden by the caller; these are only the defaults.
 */
public final class Directories {

  private final OperatingSystem os;
  private final Map<String, String> env;
  private final Path home;

  Directories(OperatingSystem os, Map<String, String> env, Path home) {
    this.os = os;
    this.env = env;
    this.home = home;
  }

  /** The directories of this process's user on this machine. */
  public static Directories current() {
    return new Directories(
        OperatingSystem.current(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The root of the product's persistent state (desired state files, logs): Linux {@code
   * $XDG_STATE_HOME/bgservice} (default {@code ~/.local/state/bgservice}), macOS {@code
   * ~/Library/Application Support/bgservice}, Windows {@code %LOCALAPPDATA%\bgservice}.
   */
  public Path stateRoot() {
    return switch (os) {
      case MACOS -> home.resolve("Library").resolve("Application Support").resolve("bgservice");
      case WINDOWS -> windowsLocalAppData().resolve("bgservice");
      default -> xdg("XDG_STATE_HOME", home.resolve(".local").resolve("state")).resolve("bgservice");
    };
  }

  /**
   * The root of services' own data directories: Linux {@code $XDG_DATA_HOME/bgservice}
   * (default {@code ~/.local/share/bgservice}), elsewhere under {@link #stateRoot()}.
   */
  public Path dataRoot() {
    return switch (os) {
      case MACOS, WINDOWS -> stateRoot().resolve("data");
      default -> xdg("XDG_DATA_HOME", home.resolve(".local").resolve("share")).resolve("bgservice");
    };
  }

  private Path windowsLocalAppData() {
    String local = env.get("LOCALAPPDATA");
    return local != null && !local.isBlank()
        ? Path.of(local)
        : home.resolve("AppData").resolve("Local");
  }

  private Path xdg(String variable, Path fallback) {
    String value = env.get(variable);
    // The XDG spec says relative values are invalid and must be ignored.
    return value != null && !value.isBlank() && Path.of(value).isAbsolute()
        ? Path.of(value)
        : fallback;
  }
}
