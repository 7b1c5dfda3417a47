package dev.bgservice.status;

/** How serious a setup issue is. */
public enum Severity {
  /** The service cannot work as configured. */
  ERROR("error"),
  /** The service works, with a limitation worth fixing. */
  WARNING("warning");

  private final String wireName;

  Severity(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The value for a wire name. */
  public static Severity fromWireName(String name) {
    return WireNames.lookup(Severity.class, values(), Severity::wireName, name);
  }
}
