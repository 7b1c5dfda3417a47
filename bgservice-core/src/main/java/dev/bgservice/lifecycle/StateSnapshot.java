package dev.bgservice.lifecycle;

import dev.bgservice.service.StartConfig;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a {@link LifecycleManager} at one moment.
 *
 * @param state the state
 * @param generation the generation of the current or last run; 0 before the first start
 * @param lastError why the last run failed, if it did; cleared by the next start
 * @param changedAt when the state last changed
 * @param config the configuration of the current or last run, if any
 */
public record StateSnapshot(
    LifecycleState state,
    long generation,
    Optional<String> lastError,
    Instant changedAt,
    Optional<StartConfig> config) {

  /** Checks that no component is null. */
  public StateSnapshot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(changedAt, "changedAt");
    Objects.requireNonNull(config, "config");
  }

  /** Whether a run is active in this snapshot. */
  public boolean isRunning() {
    return state.isActive();
  }
}
