package dev.bgservice.os;

import dev.bgservice.status.ServiceInstallationProbe;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers the setup checks' "is the sidecar installed, and does it start by itself?" from the
 * real service manager, with read-only queries. Unknown when the manager cannot tell.
 */
public final class OsInstallationProbe implements ServiceInstallationProbe {
  private final OsServices services;
  private final ServiceTarget target;

  /** A probe asking {@code services} about {@code target}. */
  public OsInstallationProbe(OsServices services, ServiceTarget target) {
    this.services = Objects.requireNonNull(services, "services");
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public Optional<Boolean> installed() {
    InstalledServiceStatus status = services.status(target);
    return status.state() == RunState.UNKNOWN ? Optional.empty() : Optional.of(status.installed());
  }

  @Override
  public Optional<Boolean> enabled() {
    InstalledServiceStatus status = services.status(target);
    if (status.state() == RunState.UNKNOWN) {
      return Optional.empty();
    }
    return Optional.of(status.installed() && status.enabled());
  }
}
