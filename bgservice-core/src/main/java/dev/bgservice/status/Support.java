package dev.bgservice.status;

/** How far a platform supports a capability. */
public enum Support {
  /** Always works on this platform with the current setup. */
  GUARANTEED("guaranteed"),
  /** Works in the common case; the platform may still prevent it. */
  BEST_EFFORT("bestEffort"),
  /** Does not work on this platform or with the current setup. */
  UNSUPPORTED("unsupported");

  private final String wireName;

  Support(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The value for a wire name. */
  public static Support fromWireName(String name) {
    return WireNames.lookup(Support.class, values(), Support::wireName, name);
  }
}
