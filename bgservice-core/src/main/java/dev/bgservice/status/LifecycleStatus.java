package dev.bgservice.status;

import dev.bgservice.service.StartConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about the service's lifecycle at one moment, computed from real facts.
 *
 * @param state the combined state
 * @param desiredRunning whether the service is wanted running
 * @param recoveryEnabled whether the service is restarted automatically after a failure or a
 *     restart of its host
 * @param recoveryPending whether the service is wanted running but is not yet
 * @param recoveryReason why recovery is needed, if it is
 * @param lastStartConfig the configuration of the last start, if any
 * @param lastError the last error, if any
 * @param platform the platform name
 * @param capabilities what the platform can promise
 * @param issues setup problems currently known
 */
public record LifecycleStatus(
    StatusState state,
    boolean desiredRunning,
    boolean recoveryEnabled,
    boolean recoveryPending,
    Optional<String> recoveryReason,
    Optional<StartConfig> lastStartConfig,
    Optional<String> lastError,
    String platform,
    PlatformCapabilities capabilities,
    List<SetupIssue> issues) {

  /** Checks that no component is null and copies the issue list. */
  public LifecycleStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(recoveryReason, "recoveryReason");
    Objects.requireNonNull(lastStartConfig, "lastStartConfig");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(capabilities, "capabilities");
    issues = List.copyOf(issues);
  }
}
