package dev.bgservice.status;

/**
 * The state in a {@link LifecycleStatus}: the lifecycle manager's state combined with the
 * supervision and persisted intent around it.
 */
public enum StatusState {
  /** Nothing has run and nothing is wanted. */
  IDLE("idle"),
  /** A run is starting ({@code init} in progress). */
  STARTING("starting"),
  /** The service is running. */
  RUNNING("running"),
  /** A stop is in progress. */
  STOPPING("stopping"),
  /** The service is not running and is not wanted to. */
  STOPPED("stopped"),
  /** The service failed and a restart is scheduled. */
  RECOVERING("recovering"),
  /** The service is wanted running but is not (e.g. the sidecar is unreachable). */
  RECOVERY_PENDING("recoveryPending"),
  /** The service failed and will not be restarted automatically. */
  ERROR("error");

  private final String wireName;

  StatusState(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The value for a wire name. */
  public static StatusState fromWireName(String name) {
    return WireNames.lookup(StatusState.class, values(), StatusState::wireName, name);
  }
}
