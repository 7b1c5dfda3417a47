package dev.bgservice.status;

import java.util.Optional;

/**
 * Tells whether the sidecar answers on its socket right now. Implemented by the IPC module
 * (e.g. by connecting and sending {@code hello}); core only asks.
 *
 * <p>The answer is empty when it cannot be told. Implementations should answer within a few
 * seconds; an exception they throw is reported as "could not tell", with its message.
 */
@FunctionalInterface
public interface SidecarProbe {

  /** Whether the sidecar accepted a connection and answered. */
  Optional<Boolean> reachable();
}
