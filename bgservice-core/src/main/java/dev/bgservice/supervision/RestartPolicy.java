package dev.bgservice.supervision;

import dev.bgservice.concurrent.Futures;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to restart a service that failed: exponential backoff with jitter, a cap on the number of
 * attempts within a sliding window, and a reset once the service has stayed up long enough.
 *
 * <p>The delay before the {@code n}-th attempt of a failure streak is {@code initialDelay *
 * multiplier^(n-1)}, capped at {@code maxDelay}, then multiplied by a random factor in {@code
 * [1 - jitter, 1 + jitter)} (so that many services failing together do not restart in lockstep)
 * and capped at {@code maxDelay} again. When {@code maxAttempts} attempts have been made within
 * the last {@code window}, the next failure gives up. A run that stayed up for {@code resetAfter}
 * ends the streak: its failure counts as the first again.
 *
 * <p>The {@linkplain #defaults() defaults}: 1 s initial delay, x2, at most 60 s, ±20% jitter, 5
 * attempts within 10 min, reset after 60 s up. With them a service that keeps failing at once
 * is restarted after about 1, 2, 4, 8 and 16 s, and then left in the {@code error} state.
 *
 * @param initialDelay the delay before the first attempt; not negative
 * @param multiplier the growth factor between attempts; at least 1
 * @param maxDelay the largest delay; at least {@code initialDelay}
 * @param jitter the relative random spread of each delay, in {@code [0, 1)}
 * @param maxAttempts how many attempts are allowed within {@code window}; 0 never restarts
 * @param window the sliding window in which attempts are counted; positive
 * @param resetAfter how long a run must stay up to end a failure streak; positive
 */
public record RestartPolicy(
    Duration initialDelay,
    double multiplier,
    Duration maxDelay,
    double jitter,
    int maxAttempts,
    Duration window,
    Duration resetAfter) {

  private static final RestartPolicy DEFAULTS =
      new RestartPolicy(
          Duration.ofSeconds(1),
          2.0,
          Duration.ofSeconds(60),
          0.2,
          5,
          Duration.ofMinutes(10),
          Duration.ofSeconds(60));

  /**
   * Checks every component.
   *
   * @throws IllegalArgumentException naming the component and the rule it breaks
   */
  public RestartPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (initialDelay.isNegative()) {
      throw invalid("initialDelay must not be negative, got " + initialDelay);
    }
    if (!Double.isFinite(multiplier) || multiplier < 1.0) {
      throw invalid("multiplier must be a finite number of at least 1.0, got " + multiplier);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw invalid(
          "maxDelay (" + maxDelay + ") must not be less than initialDelay (" + initialDelay + ")");
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw invalid("jitter must be at least 0 and less than 1, got " + jitter);
    }
    if (maxAttempts < 0) {
      throw invalid("maxAttempts must not be negative, got " + maxAttempts);
    }
    if (window.isNegative() || window.isZero()) {
      throw invalid("window must be positive, got " + window);
    }
    if (resetAfter.isNegative() || resetAfter.isZero()) {
      throw invalid("resetAfter must be positive, got " + resetAfter);
    }
  }

  /** The documented defaults (see the class comment). */
  public static RestartPolicy defaults() {
    return DEFAULTS;
  }

  /** A policy that never restarts: the defaults with {@code maxAttempts} 0. */
  public static RestartPolicy never() {
    return DEFAULTS.withMaxAttempts(0);
  }

  /** This policy with another initial delay. */
  public RestartPolicy withInitialDelay(Duration initialDelay) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /**
   * This policy with another initial and maximum delay, changed together so that neither order
   * of two single changes can trip the check that the maximum is not below the initial delay.
   */
  public RestartPolicy withDelays(Duration initialDelay, Duration maxDelay) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another multiplier. */
  public RestartPolicy withMultiplier(double multiplier) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another maximum delay. */
  public RestartPolicy withMaxDelay(Duration maxDelay) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another jitter. */
  public RestartPolicy withJitter(double jitter) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another maximum number of attempts within the window. */
  public RestartPolicy withMaxAttempts(int maxAttempts) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another window for counting attempts. */
  public RestartPolicy withWindow(Duration window) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /** This policy with another stable uptime that ends a failure streak. */
  public RestartPolicy withResetAfter(Duration resetAfter) {
    return new RestartPolicy(
        initialDelay, multiplier, maxDelay, jitter, maxAttempts, window, resetAfter);
  }

  /**
   * The delay before attempt {@code attempt} (1 for the first) without jitter: {@code
   * initialDelay * multiplier^(attempt-1)}, capped at {@code maxDelay}.
   *
   * @throws IllegalArgumentException if {@code attempt} is less than 1
   */
  public Duration baseDelay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    double nanos = Futures.saturatedNanos(initialDelay) * Math.pow(multiplier, attempt - 1);
    return capped(nanos);
  }

  /**
   * The delay before attempt {@code attempt} (1 for the first): {@link #baseDelay} spread by the
   * jitter with a number from {@code random}, capped at {@code maxDelay}.
   *
   * @throws IllegalArgumentException if {@code attempt} is less than 1
   */
  public Duration delay(int attempt, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    double base = baseDelay(attempt).toNanos();
    double factor = 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
    return capped(base * factor);
  }

  private Duration capped(double nanos) {
    long max = Futures.saturatedNanos(maxDelay);
    return Duration.ofNanos(nanos >= max ? max : Math.max(0L, Math.round(nanos)));
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException("restart policy: " + message);
  }
}
