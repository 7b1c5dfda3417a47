package dev.bgservice.status;

import java.util.Optional;

/**
 * Tells whether the sidecar is installed as an OS service and enabled to start by itself (at
 * boot or login). Implemented by the OS-service module, which knows the unit, agent or Windows
 * service it installs; core only asks.
 *
 * <p>Each answer is empty when it cannot be told (the service manager does not answer, the
 * platform has none). Implementations should answer within a few seconds; an exception they
 * throw is reported as "could not tell", with its message.
 */
public interface ServiceInstallationProbe {

  /** Whether the sidecar's OS service (unit, agent, Windows service) is installed. */
  Optional<Boolean> installed();

  /** Whether the installed OS service is enabled to start by itself at boot or login. */
  Optional<Boolean> enabled();
}
