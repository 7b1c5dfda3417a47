package dev.bgservice.os;

import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.service.ServiceLabel;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link OsServices#install} is asked to do.
 *
 * @param label the service label (also the OS service name)
 * @param launch how to start the sidecar (see {@link dev.bgservice.os.launch.LaunchSpecs})
 * @param scope user (default) or system
 * @param autostart start at login (user) or boot (system)
 * @param startNow start (or restart) the service once installed
 * @param dryRun record the files and commands without changing anything
 * @param probe run the sidecar once with {@code --validate-service-install} first
 * @param description the manager's one-line description; empty for the default
 * @param restart crash handling
 * @param runAs for a system service, the account to run as; empty for the manager's default
 */
public record InstallRequest(
    String label,
    LaunchSpec launch,
    Scope scope,
    boolean autostart,
    boolean startNow,
    boolean dryRun,
    boolean probe,
    Optional<String> description,
    RestartPolicy restart,
    Optional<String> runAs) {

  /** Checks the label and that nothing is null. */
  public InstallRequest {
    ServiceLabel.validate(label);
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(runAs, "runAs");
  }

  /**
   * A builder with the defaults: user scope, no autostart, start now, not a dry run, probe
   * first, default description and restart policy.
   */
  public static Builder builder(String label, LaunchSpec launch) {
    return new Builder(label, launch);
  }

  /** The definition handed to the backend. */
  public ServiceDefinition definition() {
    return new ServiceDefinition(
        label,
        description.orElse(ServiceDefinition.defaultDescription(label)),
        launch,
        autostart,
        restart,
        runAs);
  }

  /** Builds an {@link InstallRequest}. */
  public static final class Builder {
    private final String label;
    private final LaunchSpec launch;
    private Scope scope = Scope.USER;
    private boolean autostart;
    private boolean startNow = true;
    private boolean dryRun;
    private boolean probe = true;
    private Optional<String> description = Optional.empty();
    private RestartPolicy restart = RestartPolicy.defaults();
    private Optional<String> runAs = Optional.empty();

    private Builder(String label, LaunchSpec launch) {
      this.label = label;
      this.launch = launch;
    }

    /** User or system. */
    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** Start at login or boot. */
    public Builder autostart(boolean autostart) {
      this.autostart = autostart;
      return this;
    }

    /** Start once installed (default true). */
    public Builder startNow(boolean startNow) {
      this.startNow = startNow;
      return this;
    }

    /** Only record what would be done. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Probe the sidecar first (default true). */
    public Builder probe(boolean probe) {
      this.probe = probe;
      return this;
    }

    /** The service manager's description. */
    public Builder description(String description) {
      this.description = Optional.of(description);
      return this;
    }

    /** Crash handling. */
    public Builder restart(RestartPolicy restart) {
      this.restart = Objects.requireNonNull(restart, "restart");
      return this;
    }

    /** The account a system service runs as. */
    public Builder runAs(String account) {
      this.runAs = Optional.of(account);
      return this;
    }

    /** The request. */
    public InstallRequest build() {
      return new InstallRequest(
          label, launch, scope, autostart, startNow, dryRun, probe, description, restart, runAs);
    }
  }
}
