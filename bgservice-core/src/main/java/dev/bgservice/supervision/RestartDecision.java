package dev.bgservice.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What a {@link RestartSchedule} decided about a failure: restart after a delay, or give up. */
public sealed interface RestartDecision {

  /**
   * Restart after {@code delay}.
   *
   * @param attempt the number of this attempt in the current failure streak, from 1
   * @param delay how long to wait before restarting
   * @param at when to restart: the time of the failure plus the delay
   */
  record Restart(int attempt, Duration delay, Instant at) implements RestartDecision {
    /** Checks the components. */
    public Restart {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
      }
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * Do not restart.
   *
   * @param attempts how many attempts were made within the window
   * @param reason why, for a person, e.g. {@code gave up after 5 restart attempts within 10 min}
   */
  record GiveUp(int attempts, String reason) implements RestartDecision {
    /** Checks the components. */
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
