package dev.bgservice.os;

import java.time.Duration;
import java.util.Objects;

/**
 * How the service manager restarts a sidecar that crashed, and how long it waits for one to
 * stop. Each manager expresses what it can of this: systemd all of it, launchd the throttle
 * interval, Windows the failure action delays.
 *
 * @param initialDelay the delay before the first restart (systemd {@code RestartSec}, launchd
 *     {@code ThrottleInterval}, the first Windows failure action)
 * @param maxDelay the delay the restarts grow to (systemd {@code RestartMaxDelaySec} on 254+,
 *     the last Windows failure action)
 * @param steps how many steps the delay takes to grow (systemd {@code RestartSteps})
 * @param burst how many starts are allowed within {@code interval} before the manager gives up
 * @param interval the window for {@code burst}
 * @param stopTimeout how long a stop may take before the process is killed
 */
public record RestartPolicy(
    Duration initialDelay,
    Duration maxDelay,
    int steps,
    int burst,
    Duration interval,
    Duration stopTimeout) {

  /** Checks the values are positive and ordered. */
  public RestartPolicy {
    requirePositive(initialDelay, "initialDelay");
    requirePositive(maxDelay, "maxDelay");
    requirePositive(interval, "interval");
    requirePositive(stopTimeout, "stopTimeout");
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must not be shorter than initialDelay");
    }
    if (steps < 1 || burst < 1) {
      throw new IllegalArgumentException("steps and burst must be at least 1");
    }
  }

  /**
   * 5 s, growing over 5 steps to 2 min; at most 10 starts in 10 min; 30 s to stop. A crash loop
   * stops within minutes, a rare crash is always recovered.
   */
  public static RestartPolicy defaults() {
    return new RestartPolicy(
        Duration.ofSeconds(5), Duration.ofMinutes(2), 5, 10, Duration.ofMinutes(10), Duration.ofSeconds(30));
  }

  /** A delay between the initial and the maximum one, for managers with three fixed steps. */
  public Duration middleDelay() {
    long middle = Math.round(Math.sqrt((double) initialDelay.toMillis() * maxDelay.toMillis()));
    return Duration.ofMillis(middle);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
