package dev.bgservice.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of a client's connection state.
 *
 * @param state the new state
 * @param attempt the connection attempt number in the current round (1 for the first try, 0
 *     when not applicable)
 * @param lastError the last connection error, if any
 */
public record ConnectionEvent(ConnectionState state, int attempt, Optional<String> lastError) {

  /** Checks that no component is null. */
  public ConnectionEvent {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastError, "lastError");
  }
}
