package dev.bgservice.status;

import java.util.Objects;
import java.util.Optional;

/**
 * A yes/no fact about this machine that may be unknown, with a sentence saying how it was found
 * out or why it could not be, e.g. {@code yes: "systemctl found at /usr/bin/systemctl"}.
 *
 * @param value the fact, empty when it could not be found out
 * @param detail how it was found out, or why not, for a person
 */
public record Observation(Optional<Boolean> value, String detail) {

  /** Checks that no component is null. */
  public Observation {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(detail, "detail");
  }

  /** The fact holds. */
  public static Observation yes(String detail) {
    return new Observation(Optional.of(true), detail);
  }

  /** The fact does not hold. */
  public static Observation no(String detail) {
    return new Observation(Optional.of(false), detail);
  }

  /** The fact could not be found out. */
  public static Observation unknown(String detail) {
    return new Observation(Optional.empty(), detail);
  }

  /** True when the fact is known to hold. */
  public boolean isYes() {
    return value.orElse(false);
  }

  /** True when the fact is known not to hold. */
  public boolean isNo() {
    return !value.orElse(true);
  }

  /** True when the fact could not be found out. */
  public boolean isUnknown() {
    return value.isEmpty();
  }
}
