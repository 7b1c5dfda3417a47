package dev.bgservice.concurrent;

import java.time.Duration;
import java.util.Objects;

/** Preconditions on durations, shared by every builder that takes a timeout or an interval. */
public final class Durations {

  private Durations() {}

  /**
   * Returns {@code duration} if it is present and greater than zero.
   *
   * @param name the option's name, for the message: {@code "callTimeout must be positive: PT0S"}
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static Duration requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
    return duration;
  }
}
