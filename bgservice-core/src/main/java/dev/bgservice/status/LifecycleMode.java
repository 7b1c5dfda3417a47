package dev.bgservice.status;

/** Where the service runs relative to the app. */
public enum LifecycleMode {
  /** Inside the app's own JVM: it lives and dies with the app. */
  DESKTOP_IN_PROCESS("desktopInProcess"),
  /** In a sidecar JVM managed by the OS service manager (or detached). */
  DESKTOP_OS_SERVICE("desktopOsService");

  private final String wireName;

  LifecycleMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The value for a wire name. */
  public static LifecycleMode fromWireName(String name) {
    return WireNames.lookup(LifecycleMode.class, values(), LifecycleMode::wireName, name);
  }
}
