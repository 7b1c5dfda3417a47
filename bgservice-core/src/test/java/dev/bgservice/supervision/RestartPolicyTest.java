package dev.bgservice.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    RestartPolicy policy = RestartPolicy.defaults();

    assertThat(policy.initialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.multiplier()).isEqualTo(2.0);
    assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.jitter()).isEqualTo(0.2);
    assertThat(policy.maxAttempts()).isEqualTo(5);
    assertThat(policy.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(policy.resetAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(RestartPolicy.never().maxAttempts()).isZero();
  }

  @Test
  void theBaseDelayGrowsByTheMultiplierUpToTheMaximum() {
    RestartPolicy policy = RestartPolicy.defaults();

    assertThat(policy.baseDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.baseDelay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.baseDelay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(policy.baseDelay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(policy.baseDelay(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.baseDelay(5_000)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.withMultiplier(1.0).baseDelay(9)).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> policy.baseDelay(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempt must be at least 1");
  }

  @Test
  void jitterSpreadsEachDelayWithinItsBoundsAndNeverBeyondTheMaximum() {
    RestartPolicy policy = RestartPolicy.defaults();
    SplittableRandom random = new SplittableRandom(42);
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      Duration delay = policy.delay(3, random);
      assertThat(delay).isBetween(Duration.ofMillis(3_200), Duration.ofMillis(4_800));
      seen.add(delay);
      assertThat(policy.delay(7, random))
          .isBetween(Duration.ofSeconds(48), Duration.ofSeconds(60));
    }
    assertThat(seen).hasSizeGreaterThan(1_000);
    assertThat(policy.withJitter(0).delay(3, random)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    RestartPolicy policy = RestartPolicy.defaults();
    SplittableRandom first = new SplittableRandom(7);
    SplittableRandom second = new SplittableRandom(7);

    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(policy.delay(attempt, first)).isEqualTo(policy.delay(attempt, second));
    }
  }

  @Test
  void everyComponentIsValidatedWithAClearMessage() {
    RestartPolicy policy = RestartPolicy.defaults();

    assertThatThrownBy(() -> policy.withInitialDelay(Duration.ofMillis(-1)))
        .hasMessage("restart policy: initialDelay must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> policy.withMultiplier(0.5))
        .hasMessage("restart policy: multiplier must be a finite number of at least 1.0, got 0.5");
    assertThatThrownBy(() -> policy.withMultiplier(Double.NaN))
        .hasMessageContaining("multiplier must be a finite number");
    assertThatThrownBy(() -> policy.withMaxDelay(Duration.ofMillis(500)))
        .hasMessage(
            "restart policy: maxDelay (PT0.5S) must not be less than initialDelay (PT1S)");
    assertThatThrownBy(() -> policy.withJitter(1.0))
        .hasMessage("restart policy: jitter must be at least 0 and less than 1, got 1.0");
    assertThatThrownBy(() -> policy.withJitter(-0.1)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> policy.withMaxAttempts(-1))
        .hasMessage("restart policy: maxAttempts must not be negative, got -1");
    assertThatThrownBy(() -> policy.withWindow(Duration.ZERO))
        .hasMessage("restart policy: window must be positive, got PT0S");
    assertThatThrownBy(() -> policy.withResetAfter(Duration.ofSeconds(-1)))
        .hasMessage("restart policy: resetAfter must be positive, got PT-1S");
    assertThatThrownBy(() -> policy.withWindow(null)).isInstanceOf(NullPointerException.class);
    // Both delays at once: no order of single changes to get wrong.
    assertThat(policy.withDelays(Duration.ofMinutes(2), Duration.ofMinutes(4)).initialDelay())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void withersChangeOneComponent() {
    RestartPolicy policy =
        RestartPolicy.defaults()
            .withMaxDelay(Duration.ofMinutes(5))
            .withInitialDelay(Duration.ofSeconds(2))
            .withDelays(Duration.ofSeconds(2), Duration.ofMinutes(5))
            .withMultiplier(3)
            .withJitter(0.1)
            .withMaxAttempts(7)
            .withWindow(Duration.ofHours(1))
            .withResetAfter(Duration.ofMinutes(2));

    assertThat(policy)
        .isEqualTo(
            new RestartPolicy(
                Duration.ofSeconds(2),
                3.0,
                Duration.ofMinutes(5),
                0.1,
                7,
                Duration.ofHours(1),
                Duration.ofMinutes(2)));
  }

  @Test
  void hugeDurationsSaturateInsteadOfOverflowing() {
    RestartPolicy policy =
        RestartPolicy.defaults().withMaxDelay(Duration.ofDays(365_000)).withMultiplier(10);

    assertThat(policy.baseDelay(1_000)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void humanDurationsReadWell() {
    assertThat(HumanDuration.format(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(HumanDuration.format(Duration.ofMillis(1_500))).isEqualTo("1.5 s");
    assertThat(HumanDuration.format(Duration.ofSeconds(60))).isEqualTo("1 min");
    assertThat(HumanDuration.format(Duration.ofSeconds(90))).isEqualTo("90 s");
    assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10 min");
    assertThat(HumanDuration.format(Duration.ofHours(2))).isEqualTo("2 h");
  }
}
