package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

  private static final RandomGenerator NO_CUT = () -> 0L;
  private static final RandomGenerator LARGEST_CUT = () -> -1L; // nextDouble() just below 1

  @Test
  void defaultScheduleDoublesFromOneSecondUpToThirtyAndAllowsTenRetries() {
    ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
    List<Long> seconds =
        IntStream.rangeClosed(1, 10).mapToObj(r -> policy.nominalDelay(r).toSeconds()).toList();
    assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L, 30L);
    assertThat(policy.allowsRetry(10)).isTrue();
    assertThat(policy.allowsRetry(11)).isFalse();
    assertThat(policy.maxRetries()).isEqualTo(OptionalInt.of(10));
  }

  @Test
  void jitterOnlyShortensADelayByAtMostItsFraction() {
    ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
    for (int retry = 1; retry <= 10; retry++) {
      Duration nominal = policy.nominalDelay(retry);
      assertThat(policy.delay(retry, NO_CUT)).isEqualTo(nominal);
      Duration shortest = policy.delay(retry, LARGEST_CUT);
      assertThat(shortest).isLessThan(nominal);
      assertThat(shortest.toNanos()).isGreaterThanOrEqualTo((long) (nominal.toNanos() * 0.8));
    }
    assertThat(policy.withJitter(0).delay(3, LARGEST_CUT)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void unboundedPolicyNeverGivesUpAndStaysAtTheCap() {
    ReconnectPolicy policy = ReconnectPolicy.DEFAULT.withUnboundedRetries();
    assertThat(policy.allowsRetry(1_000_000)).isTrue();
    assertThat(policy.nominalDelay(1_000_000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.nominalDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyPartIsConfigurable() {
    ReconnectPolicy policy =
        ReconnectPolicy.DEFAULT
            .withInitialDelay(Duration.ofMillis(100))
            .withMultiplier(3)
            .withMaxDelay(Duration.ofSeconds(2))
            .withMaxRetries(0);
    assertThat(policy.nominalDelay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.nominalDelay(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(policy.nominalDelay(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(policy.nominalDelay(4)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.allowsRetry(1)).isFalse();
  }

  @Test
  void rejectsValuesOutOfRangeWithClearMessages() {
    ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
    assertThatThrownBy(() -> policy.withInitialDelay(Duration.ZERO))
        .hasMessageContaining("initialDelay must be positive");
    assertThatThrownBy(() -> policy.withMaxDelay(Duration.ofMillis(10)))
        .hasMessageContaining("must not be below initialDelay");
    assertThatThrownBy(() -> policy.withMultiplier(0.5)).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> policy.withMultiplier(Double.NaN)).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> policy.withJitter(1.5)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> policy.withMaxRetries(-1)).hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> policy.nominalDelay(0)).hasMessageContaining("start at 1");
  }
}
