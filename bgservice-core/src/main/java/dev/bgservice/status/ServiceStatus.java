package dev.bgservice.status;

import java.util.Objects;
import java.util.Optional;

/**
 * The base protocol's {@code getState} answer.
 *
 * @param state {@code idle}, {@code initializing}, {@code running} or {@code stopped}
 * @param lastError why the last run failed, if it did
 */
public record ServiceStatus(String state, Optional<String> lastError) {

  /** Checks that no component is null. */
  public ServiceStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastError, "lastError");
  }
}
