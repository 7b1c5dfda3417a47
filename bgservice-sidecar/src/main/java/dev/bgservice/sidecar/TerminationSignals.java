package dev.bgservice.sidecar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into an orderly shutdown that can end with exit code 0. A plain
 * shutdown hook would run too, but the JVM then exits with 128 + the signal number, which
 * service managers record as a failure.
 */
final class TerminationSignals {
  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /** Calls {@code onSignal} (on a new thread) when SIGTERM or SIGINT arrives. */
  @SuppressWarnings("removal")
  static void install(Runnable onSignal) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              log.info("received SIG{}; shutting down", name);
              Thread thread = new Thread(onSignal, "bgservice-sidecar-shutdown");
              thread.start();
            });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // Not available on this platform (e.g. SIGTERM on some Windows setups): rely on the hook.
        log.debug("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
