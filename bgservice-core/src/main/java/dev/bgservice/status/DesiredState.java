package dev.bgservice.status;

import dev.bgservice.service.StartConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The user's persisted intent for the service: whether it should run, and with what.
 *
 * @param desiredRunning whether the service should be running
 * @param lastStartConfig the configuration of the last start, if any
 * @param lastStartEpochMs when the service was last started
 * @param lastHeartbeatEpochMs when a running service last proved alive
 * @param restartAttempt how many automatic restarts were attempted in the current failure
 *     streak
 * @param recoveryPending whether the service should run but does not yet
 * @param recoveryReason why a recovery is or was needed
 */
public record DesiredState(
    boolean desiredRunning,
    Optional<StartConfig> lastStartConfig,
    OptionalLong lastStartEpochMs,
    OptionalLong lastHeartbeatEpochMs,
    int restartAttempt,
    boolean recoveryPending,
    Optional<String> recoveryReason) {

  /** Checks that no component is null and the attempt count is not negative. */
  public DesiredState {
    Objects.requireNonNull(lastStartConfig, "lastStartConfig");
    Objects.requireNonNull(lastStartEpochMs, "lastStartEpochMs");
    Objects.requireNonNull(lastHeartbeatEpochMs, "lastHeartbeatEpochMs");
    Objects.requireNonNull(recoveryReason, "recoveryReason");
    if (restartAttempt < 0) {
      throw new IllegalArgumentException("restartAttempt must not be negative: " + restartAttempt);
    }
  }

  /** The state when nothing was ever persisted: not wanted running. */
  public static DesiredState initial() {
    return new DesiredState(
        false, Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, false,
        Optional.empty());
  }
}
