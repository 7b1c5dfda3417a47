package dev.bgservice.supervision;

import dev.bgservice.lifecycle.LifecycleState;
import dev.bgservice.service.StartConfig;
import dev.bgservice.state.StoreProblem;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.SetupIssue;
import dev.bgservice.status.StatusState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link Supervisor} knows at one moment: the part of a {@link LifecycleStatus} that
 * comes from the lifecycle, the intent and the recovery, plus the details behind it.
 *
 * @param state the combined state: the lifecycle state while a run is active, else {@code
 *     recovering} while a restart is scheduled, {@code error} after a failure that will not be
 *     restarted (or after the restart policy gave up), {@code recoveryPending} while the service
 *     is wanted running but is not, else {@code idle} or {@code stopped}
 * @param lifecycleState the lifecycle manager's own state
 * @param desiredRunning whether the service is wanted running
 * @param recoveryEnabled whether this host acts on that intent now: recovery is on and the
 *     service is wanted running
 * @param recoveryPending whether the service is wanted running, is not up, and is on its way:
 *     {@code recovering}, {@code recoveryPending}, or {@code starting} in a recovery (not after
 *     the policy gave up)
 * @param recoveryReason why the service is, or last was, recovered ({@link RecoveryReason})
 * @param nextAttemptEpochMs when the scheduled restart happens, while {@code recovering}
 * @param restartAttempt the number of the latest restart attempt of the current failure streak;
 *     0 when there is none
 * @param lastError why the service last failed, and why it is not restarted if it is not;
 *     cleared by a start and by a stable uptime
 * @param lastStartConfig the configuration of the last start, or the one recorded by {@code
 *     enableAutoRestart}
 * @param storeProblems problems of the desired state file, most urgent first
 */
public record SupervisorStatus(
    StatusState state,
    LifecycleState lifecycleState,
    boolean desiredRunning,
    boolean recoveryEnabled,
    boolean recoveryPending,
    Optional<String> recoveryReason,
    OptionalLong nextAttemptEpochMs,
    int restartAttempt,
    Optional<String> lastError,
    Optional<StartConfig> lastStartConfig,
    List<StoreProblem> storeProblems) {

  /** Checks that no component is null and copies the problem list. */
  public SupervisorStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lifecycleState, "lifecycleState");
    Objects.requireNonNull(recoveryReason, "recoveryReason");
    Objects.requireNonNull(nextAttemptEpochMs, "nextAttemptEpochMs");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastStartConfig, "lastStartConfig");
    storeProblems = List.copyOf(storeProblems);
  }

  /**
   * The full lifecycle status: this status plus the platform facts, with the store problems
   * added to the issues (as {@link StoreProblem#toSetupIssue}).
   */
  public LifecycleStatus toLifecycleStatus(
      String platform, PlatformCapabilities capabilities, List<SetupIssue> issues) {
    List<SetupIssue> all = new ArrayList<>(issues);
    storeProblems.forEach(p -> all.add(p.toSetupIssue(platform)));
    return new LifecycleStatus(
        state,
        desiredRunning,
        recoveryEnabled,
        recoveryPending,
        recoveryReason,
        lastStartConfig,
        lastError,
        platform,
        capabilities,
        all);
  }
}
