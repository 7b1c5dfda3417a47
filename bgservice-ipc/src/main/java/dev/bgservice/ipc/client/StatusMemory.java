package dev.bgservice.ipc.client;

import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.StatusState;
import dev.bgservice.status.Support;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the client last knew about the service (its last status and whether it is wanted
 * running), to answer {@code getLifecycleStatus} while the sidecar cannot be reached. Thread-safe.
 */
final class StatusMemory {

  /** The {@code recoveryReason} of a status synthesized while the sidecar is unreachable. */
  static final String SIDECAR_UNREACHABLE = "sidecarUnreachable";

  private Optional<LifecycleStatus> lastStatus = Optional.empty();
  private boolean desiredRunning;

  /** Remembers a status the sidecar sent, and the intent in it. */
  synchronized void record(LifecycleStatus status) {
    lastStatus = Optional.of(status);
    desiredRunning = status.desiredRunning();
  }

  /** Remembers an intent a successful call established (start, stop, auto restart). */
  synchronized void recordIntent(boolean wantRunning) {
    desiredRunning = wantRunning;
  }

  /**
   * The status to report while the sidecar at {@code socketPath} is unreachable: {@code
   * recoveryPending} when the service was last known to be wanted running, else {@code stopped};
   * {@code lastError} says the sidecar is unreachable (and why, when known); the capabilities are
   * the last ones the sidecar reported, or {@linkplain #minimalCapabilities minimal} ones.
   */
  synchronized LifecycleStatus synthesize(Path socketPath, Optional<String> why) {
    String unreachable =
        "The sidecar at " + socketPath + " is unreachable" + why.map(e -> " (" + e + ")").orElse("")
            + ".";
    return new LifecycleStatus(
        desiredRunning ? StatusState.RECOVERY_PENDING : StatusState.STOPPED,
        desiredRunning,
        lastStatus.map(LifecycleStatus::recoveryEnabled).orElse(false),
        desiredRunning,
        desiredRunning ? Optional.of(SIDECAR_UNREACHABLE) : Optional.empty(),
        lastStatus.flatMap(LifecycleStatus::lastStartConfig),
        Optional.of(unreachable),
        lastStatus.map(LifecycleStatus::platform).orElseGet(() -> OperatingSystem.current().wireName()),
        lastStatus.map(LifecycleStatus::capabilities).orElseGet(StatusMemory::minimalCapabilities),
        // Setup issues are facts of the moment; none can be known without the sidecar.
        List.of());
  }

  /** What an OS-service sidecar can be assumed to promise when it was never reached. */
  static PlatformCapabilities minimalCapabilities() {
    return new PlatformCapabilities(
        OperatingSystem.current().wireName(),
        LifecycleMode.DESKTOP_OS_SERVICE,
        Support.BEST_EFFORT,
        Support.UNSUPPORTED,
        Support.BEST_EFFORT,
        Support.BEST_EFFORT,
        List.of("The sidecar has not been reached, so what it can promise is not known."),
        List.of());
  }
}
