package dev.bgservice.sidecar;

import dev.bgservice.platform.Directories;
import dev.bgservice.service.ServiceLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a sidecar runs.
 *
 * @param label the service label (socket, state file, log file names)
 * @param socketPath an explicit socket path; empty for the label's default endpoint
 * @param stateDirectory where the desired state file and the logs live
 * @param stopTimeout how long an orderly shutdown waits for the service's run to return
 * @param logToStderr whether log records also go to standard error
 */
public record SidecarOptions(
    String label,
    Optional<Path> socketPath,
    Path stateDirectory,
    Duration stopTimeout,
    boolean logToStderr) {

  /** Default time an orderly shutdown gives the service to stop. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** Checks the label and the other components. */
  public SidecarOptions {
    ServiceLabel.validate(label);
    Objects.requireNonNull(socketPath, "socketPath");
    stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory").toAbsolutePath();
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    if (stopTimeout.isNegative()) {
      throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
    }
  }

  /** The defaults for a label: default endpoint, default state directory, 10 s stop timeout. */
  public static SidecarOptions forLabel(String label) {
    return new SidecarOptions(
        label, Optional.empty(), Directories.current().stateRoot(), DEFAULT_STOP_TIMEOUT, true);
  }

  /** These options with an explicit socket path. */
  public SidecarOptions withSocketPath(Path socketPath) {
    return new SidecarOptions(
        label, Optional.of(socketPath), stateDirectory, stopTimeout, logToStderr);
  }

  /** These options with another state directory. */
  public SidecarOptions withStateDirectory(Path stateDirectory) {
    return new SidecarOptions(label, socketPath, stateDirectory, stopTimeout, logToStderr);
  }

  /** These options with another stop timeout. */
  public SidecarOptions withStopTimeout(Duration stopTimeout) {
    return new SidecarOptions(label, socketPath, stateDirectory, stopTimeout, logToStderr);
  }

  /** The log file of this sidecar: {@code <stateDirectory>/logs/<label>.log}. */
  public Path logFile() {
    return stateDirectory.resolve("logs").resolve(label + ".log");
  }
}
