package dev.bgservice.supervision;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Applies a {@link RestartPolicy} to one service's history of failures and restart attempts.
 * Pure bookkeeping: it reads time only from its {@link Clock} and randomness only from its
 * {@link RandomGenerator}, schedules nothing itself, and is therefore exact to test.
 *
 * <p>An attempt is counted at the moment it is decided ({@link #onFailure()}). Attempts older
 * than the policy's window no longer count, neither towards the give-up nor towards the
 * backoff. {@link #onRunning()} marks the start of a run; when the run has been up for the
 * policy's {@code resetAfter} (checked by {@link #resetIfStable()} and by the next {@link
 * #onFailure()}), the failure streak is over and the count starts again from zero.
 *
 * <p>Not thread-safe: confine it to one thread or guard it with one lock.
 */
public final class RestartSchedule {
  private final RestartPolicy policy;
  private final Clock clock;
  private final RandomGenerator random;
  private final Deque<Instant> attempts = new ArrayDeque<>();
  private Instant runningSince;

  /** A schedule with no history. */
  public RestartSchedule(RestartPolicy policy, Clock clock, RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The policy applied. */
  public RestartPolicy policy() {
    return policy;
  }

  /**
   * The service failed now: decides whether and when to restart it. A restart decision counts
   * as an attempt at once.
   */
  public RestartDecision onFailure() {
    Instant now = clock.instant();
    if (wasStableAt(now)) {
      attempts.clear();
    }
    runningSince = null;
    prune(now);
    if (attempts.size() >= policy.maxAttempts()) {
      String reason =
          policy.maxAttempts() == 0
              ? "the restart policy allows no restarts"
              : "gave up after "
                  + attempts.size()
                  + (attempts.size() == 1 ? " restart attempt" : " restart attempts")
                  + " within "
                  + HumanDuration.format(policy.window());
      return new RestartDecision.GiveUp(attempts.size(), reason);
    }
    int attempt = attempts.size() + 1;
    var delay = policy.delay(attempt, random);
    attempts.addLast(now);
    return new RestartDecision.Restart(attempt, delay, now.plus(delay));
  }

  /** A run of the service is up now (its {@code init} succeeded). */
  public void onRunning() {
    runningSince = clock.instant();
  }

  /** The service stopped without failing; the current run no longer counts as up. */
  public void onStopped() {
    runningSince = null;
  }

  /**
   * Ends the failure streak if the current run has been up for the policy's {@code
   * resetAfter}.
   *
   * @return whether the streak was reset now (false if there was nothing to reset)
   */
  public boolean resetIfStable() {
    Instant now = clock.instant();
    if (!wasStableAt(now) || attempts.isEmpty()) {
      return false;
    }
    attempts.clear();
    return true;
  }

  /** Whether the current run has been up for the policy's {@code resetAfter}. */
  public boolean isStable() {
    return wasStableAt(clock.instant());
  }

  /** Forgets the whole history, e.g. after a start or stop by the user. */
  public void reset() {
    attempts.clear();
    runningSince = null;
  }

  /** The attempts that count now: within the window, in the current streak. */
  public int attempts() {
    Instant now = clock.instant();
    prune(now);
    return wasStableAt(now) ? 0 : attempts.size();
  }

  /** When the current run came up, if one is up. */
  public Optional<Instant> runningSince() {
    return Optional.ofNullable(runningSince);
  }

  private boolean wasStableAt(Instant now) {
    return runningSince != null && !now.isBefore(runningSince.plus(policy.resetAfter()));
  }

  private void prune(Instant now) {
    Instant horizon = now.minus(policy.window());
    while (!attempts.isEmpty() && !attempts.peekFirst().isAfter(horizon)) {
      attempts.removeFirst();
    }
  }
}
