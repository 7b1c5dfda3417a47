package dev.bgservice.lifecycle;

/**
 * The states of a {@link LifecycleManager}. A run goes {@code STARTING -> RUNNING -> STOPPING}
 * and ends in {@code STOPPED} or {@code FAILED}; a new start is allowed from {@code IDLE},
 * {@code STOPPED} and {@code FAILED}.
 */
public enum LifecycleState {
  /** No run has been started yet. */
  IDLE("idle", "idle"),
  /** A run was started and its {@code init} is in progress. */
  STARTING("starting", "initializing"),
  /** {@code init} succeeded and {@code run} is executing. */
  RUNNING("running", "running"),
  /** A stop was requested and the run has not ended yet. */
  STOPPING("stopping", "running"),
  /** The last run ended cleanly: stopped on request or completed its task. */
  STOPPED("stopped", "stopped"),
  /** The last run failed, or was abandoned after not stopping in time; see the last error. */
  FAILED("failed", "stopped");

  private final String wireName;
  private final String baseProtocolName;

  LifecycleState(String wireName, String baseProtocolName) {
    this.wireName = wireName;
    this.baseProtocolName = baseProtocolName;
  }

  /** Whether a run is active: a start is refused and a stop accepted. */
  public boolean isActive() {
    return this == STARTING || this == RUNNING || this == STOPPING;
  }

  /** The lower-case name used in extension fields and logs. */
  public String wireName() {
    return wireName;
  }

  /**
   * The base protocol's four-state view ({@code idle, initializing, running, stopped}) used in
   * {@code ServiceStatus.state}. A stopping run still runs; a failed one is stopped, with the
   * last error saying why.
   */
  public String baseProtocolName() {
    return baseProtocolName;
  }
}
