package dev.bgservice.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartScheduleTest {
  private final ManualClock clock = new ManualClock();

  private RestartSchedule schedule(RestartPolicy policy) {
    return new RestartSchedule(policy, clock, new SplittableRandom(1));
  }

  private static RestartDecision.Restart restart(RestartDecision decision) {
    assertThat(decision).isInstanceOf(RestartDecision.Restart.class);
    return (RestartDecision.Restart) decision;
  }

  @Test
  void backsOffExponentiallyWithJitterThenGivesUp() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults());
    long[] bases = {1_000, 2_000, 4_000, 8_000, 16_000};

    for (int i = 0; i < bases.length; i++) {
      Instant failedAt = clock.instant();
      RestartDecision.Restart restart = restart(schedule.onFailure());

      assertThat(restart.attempt()).isEqualTo(i + 1);
      assertThat(restart.delay().toMillis())
          .isBetween((long) (bases[i] * 0.8), (long) (bases[i] * 1.2));
      assertThat(restart.at()).isEqualTo(failedAt.plus(restart.delay()));
      assertThat(schedule.attempts()).isEqualTo(i + 1);
      // The restarted run fails as soon as it is started.
      clock.advance(restart.delay());
      schedule.onRunning();
    }

    RestartDecision decision = schedule.onFailure();
    assertThat(decision)
        .isEqualTo(new RestartDecision.GiveUp(5, "gave up after 5 restart attempts within 10 min"));
    assertThat(schedule.onFailure()).isInstanceOf(RestartDecision.GiveUp.class);
  }

  @Test
  void withoutJitterTheDelaysAreExact() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withJitter(0).withMaxAttempts(8));

    long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
    for (long seconds : expected) {
      assertThat(restart(schedule.onFailure()).delay()).isEqualTo(Duration.ofSeconds(seconds));
    }
  }

  @Test
  void attemptsOutsideTheWindowDoNotCount() {
    RestartPolicy policy =
        RestartPolicy.defaults().withJitter(0).withMaxAttempts(3).withWindow(Duration.ofMinutes(10));
    RestartSchedule schedule = schedule(policy);

    restart(schedule.onFailure()); // t = 0
    clock.advance(Duration.ofMinutes(4));
    restart(schedule.onFailure()); // t = 4 min
    clock.advance(Duration.ofMinutes(4));
    restart(schedule.onFailure()); // t = 8 min
    clock.advance(Duration.ofMinutes(1));
    assertThat(schedule.onFailure()).isInstanceOf(RestartDecision.GiveUp.class); // t = 9 min

    // At t = 10 min the first attempt leaves the window: two count, so one more is allowed,
    // with the backoff of the third attempt.
    clock.advance(Duration.ofMinutes(1));
    assertThat(schedule.attempts()).isEqualTo(2);
    RestartDecision.Restart restart = restart(schedule.onFailure());
    assertThat(restart.attempt()).isEqualTo(3);
    assertThat(restart.delay()).isEqualTo(Duration.ofSeconds(4));

    // Long after, nothing counts any more.
    clock.advance(Duration.ofHours(1));
    assertThat(schedule.attempts()).isZero();
    assertThat(restart(schedule.onFailure()).attempt()).isEqualTo(1);
  }

  @Test
  void aStableUptimeEndsTheStreak() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withJitter(0));
    for (int i = 0; i < 4; i++) {
      restart(schedule.onFailure());
    }
    schedule.onRunning();
    clock.advance(Duration.ofSeconds(59));
    assertThat(schedule.isStable()).isFalse();
    assertThat(schedule.resetIfStable()).isFalse();
    assertThat(schedule.attempts()).isEqualTo(4);

    clock.advance(Duration.ofSeconds(1));
    assertThat(schedule.isStable()).isTrue();
    assertThat(schedule.attempts()).isZero();
    assertThat(schedule.resetIfStable()).isTrue();
    assertThat(schedule.resetIfStable()).isFalse();

    RestartDecision.Restart restart = restart(schedule.onFailure());
    assertThat(restart.attempt()).isEqualTo(1);
    assertThat(restart.delay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aFailureAfterAStableRunStartsANewStreakEvenWithoutAnExplicitReset() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withJitter(0).withMaxAttempts(2));
    restart(schedule.onFailure());
    restart(schedule.onFailure());
    schedule.onRunning();
    clock.advance(Duration.ofSeconds(61));

    assertThat(restart(schedule.onFailure()).attempt()).isEqualTo(1);
  }

  @Test
  void aShortRunDoesNotEndTheStreak() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withJitter(0).withMaxAttempts(2));
    restart(schedule.onFailure());
    schedule.onRunning();
    clock.advance(Duration.ofSeconds(30));
    restart(schedule.onFailure());
    schedule.onRunning();
    clock.advance(Duration.ofSeconds(30));

    assertThat(schedule.onFailure()).isInstanceOf(RestartDecision.GiveUp.class);
  }

  @Test
  void aStopForgetsTheRunButNotTheStreak() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withJitter(0));
    restart(schedule.onFailure());
    schedule.onRunning();
    schedule.onStopped();
    clock.advance(Duration.ofMinutes(2));

    assertThat(schedule.runningSince()).isEmpty();
    assertThat(schedule.attempts()).isEqualTo(1);
    schedule.reset();
    assertThat(schedule.attempts()).isZero();
  }

  @Test
  void aPolicyWithoutAttemptsGivesUpAtOnce() {
    RestartSchedule schedule = schedule(RestartPolicy.never());

    assertThat(schedule.onFailure())
        .isEqualTo(new RestartDecision.GiveUp(0, "the restart policy allows no restarts"));
  }

  @Test
  void oneAttemptIsSingular() {
    RestartSchedule schedule = schedule(RestartPolicy.defaults().withMaxAttempts(1));
    restart(schedule.onFailure());

    assertThat(((RestartDecision.GiveUp) schedule.onFailure()).reason())
        .isEqualTo("gave up after 1 restart attempt within 10 min");
  }
}
