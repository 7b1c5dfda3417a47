package dev.bgservice.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a start call behaves.
 *
 * @param waitForInit reply only after {@code init} finished, failing the call if it failed
 *     (default: reply once the start is scheduled, as the base protocol does)
 * @param waitForConnection when the client is disconnected, wait for the connection within the
 *     deadline instead of failing fast
 * @param timeout the call's deadline; empty means the client's default
 */
public record StartOptions(
    boolean waitForInit, boolean waitForConnection, Optional<Duration> timeout) {

  /** Reply once scheduled, fail fast when disconnected, default deadline. */
  public static final StartOptions DEFAULT = new StartOptions(false, false, Optional.empty());

  /** Checks the timeout is present and positive if given. */
  public StartOptions {
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(
        t -> {
          if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + t);
          }
        });
  }

  /** These options, waiting for the outcome of {@code init}. */
  public StartOptions withWaitForInit() {
    return new StartOptions(true, waitForConnection, timeout);
  }

  /** These options, waiting for a connection when disconnected. */
  public StartOptions withWaitForConnection() {
    return new StartOptions(waitForInit, true, timeout);
  }

  /** These options with a deadline. */
  public StartOptions withTimeout(Duration timeout) {
    return new StartOptions(waitForInit, waitForConnection, Optional.of(timeout));
  }
}
