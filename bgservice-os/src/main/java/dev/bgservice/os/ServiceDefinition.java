package dev.bgservice.os;

import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.service.ServiceLabel;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend installs for one service.
 *
 * @param label the service label; also the unit, agent, task or service name
 * @param description a one-line description shown by the service manager
 * @param launch how to start the sidecar
 * @param autostart whether the service starts at login (user) or boot (system)
 * @param restart how crashes are handled
 * @param runAs for a system service: the account to run as (systemd {@code User=}, launchd
 *     {@code UserName}); empty runs as the manager's default (root / LocalSystem)
 */
public record ServiceDefinition(
    String label,
    String description,
    LaunchSpec launch,
    boolean autostart,
    RestartPolicy restart,
    Optional<String> runAs) {

  /** Checks the label and that nothing is null. */
  public ServiceDefinition {
    ServiceLabel.validate(label);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(runAs, "runAs");
  }

  /** A definition with the default description, restart policy and account. */
  public static ServiceDefinition of(String label, LaunchSpec launch, boolean autostart) {
    return new ServiceDefinition(
        label, defaultDescription(label), launch, autostart, RestartPolicy.defaults(), Optional.empty());
  }

  /** {@code bgservice sidecar <label>}. */
  public static String defaultDescription(String label) {
    return "bgservice sidecar " + label;
  }
}
