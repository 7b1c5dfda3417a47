package dev.bgservice.ipc.client;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * When a {@link PersistentIpcClient} tries to (re)connect, and when it gives up.
 *
 * <p>A <em>round</em> of attempts starts when the client is built, when its connection drops and
 * when {@link PersistentIpcClient#reconnectNow()} is called. Attempt 1 of a round runs at once;
 * attempt {@code k + 1} is retry {@code k} and runs {@link #delay retry k's delay} after attempt
 * {@code k} failed. The nominal delay of retry {@code k} is {@code initialDelay * multiplier^(k-1)}
 * capped at {@code maxDelay}; the actual delay is drawn uniformly from {@code [nominal * (1 -
 * jitter), nominal]}, so clients that lost the same sidecar do not all retry in step, and no delay
 * ever exceeds the cap. After {@code maxRetries} failed retries the client gives up until told to
 * reconnect.
 *
 * <p>The {@linkplain #DEFAULT default}: 1 s, doubling, capped at 30 s, 20 % jitter, 10 retries
 * (delays 1, 2, 4, 8, 16, 30, 30, 30, 30, 30 s: the client gives up about three minutes after the
 * sidecar went away).
 *
 * @param initialDelay the nominal delay of retry 1; positive
 * @param multiplier how much each nominal delay grows over the previous one; at least 1
 * @param maxDelay the cap on every delay; at least {@code initialDelay}
 * @param jitter the fraction of a delay that is randomised, from 0 (none) to 1
 * @param maxRetries how many retries a round makes before giving up; empty means unbounded
 */
public record ReconnectPolicy(
    Duration initialDelay,
    double multiplier,
    Duration maxDelay,
    double jitter,
    OptionalInt maxRetries) {

  /** 1 s, doubling, capped at 30 s, 20 % jitter, 10 retries. */
  public static final ReconnectPolicy DEFAULT =
      new ReconnectPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.2, OptionalInt.of(10));

  /** Checks every component is in range. */
  public ReconnectPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be positive: " + initialDelay);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay (" + maxDelay + ") must not be below initialDelay (" + initialDelay + ")");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
  }

  /** This policy with another first delay. */
  public ReconnectPolicy withInitialDelay(Duration initialDelay) {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, maxRetries);
  }

  /** This policy with another growth factor. */
  public ReconnectPolicy withMultiplier(double multiplier) {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, maxRetries);
  }

  /** This policy with another cap. */
  public ReconnectPolicy withMaxDelay(Duration maxDelay) {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, maxRetries);
  }

  /** This policy with another jitter fraction (0 for exact delays). */
  public ReconnectPolicy withJitter(double jitter) {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, maxRetries);
  }

  /** This policy giving up after {@code maxRetries} failed retries (0: never retry). */
  public ReconnectPolicy withMaxRetries(int maxRetries) {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, OptionalInt.of(maxRetries));
  }

  /** This policy retrying forever. */
  public ReconnectPolicy withUnboundedRetries() {
    return new ReconnectPolicy(initialDelay, multiplier, maxDelay, jitter, OptionalInt.empty());
  }

  /** Whether retry number {@code retry} (1-based) may be made. */
  public boolean allowsRetry(int retry) {
    checkRetry(retry);
    return maxRetries.isEmpty() || retry <= maxRetries.getAsInt();
  }

  /** The delay before retry number {@code retry} (1-based) without jitter. */
  public Duration nominalDelay(int retry) {
    checkRetry(retry);
    double factor = Math.pow(multiplier, retry - 1);
    double nanos = initialDelay.toNanos() * factor;
    // Comparing as doubles avoids overflow for large retry numbers of an unbounded policy.
    if (!(nanos < maxDelay.toNanos())) {
      return maxDelay;
    }
    return Duration.ofNanos((long) nanos);
  }

  /**
   * The delay before retry number {@code retry} (1-based): the nominal delay shortened by a
   * random share of at most {@code jitter}.
   */
  public Duration delay(int retry, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    Duration nominal = nominalDelay(retry);
    if (jitter == 0.0) {
      return nominal;
    }
    double cut = jitter * random.nextDouble(); // in [0, jitter)
    return Duration.ofNanos(Math.round(nominal.toNanos() * (1.0 - cut)));
  }

  private static void checkRetry(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1: " + retry);
    }
  }
}
