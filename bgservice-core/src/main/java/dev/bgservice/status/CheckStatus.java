package dev.bgservice.status;

/** The outcome of one setup check. */
public enum CheckStatus {
  /** The check ran and found nothing wrong. */
  PASS("pass"),
  /** The check ran and found a problem; the check says how serious it is. */
  FAIL("fail"),
  /** The check could not tell (a tool missing or not answering, an input not given). */
  UNKNOWN("unknown");

  private final String wireName;

  CheckStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The value for a wire name. */
  public static CheckStatus fromWireName(String name) {
    return WireNames.lookup(CheckStatus.class, values(), CheckStatus::wireName, name);
  }
}
