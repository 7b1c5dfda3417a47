package dev.bgservice.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {
  @TempDir Path dir;

  /** A clock that ticks 1 s per reading and counts its readings. */
  private static final class TickingClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000);
    final AtomicInteger readings = new AtomicInteger();

    @Override
    public long millis() {
      readings.incrementAndGet();
      return millis.addAndGet(1_000);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void beatWritesOnlyTheHeartbeatField() {
    DesiredStateStore store = DesiredStateStore.open(dir, "demo");
    DesiredState intent =
        new DesiredState(
            true, Optional.of(StartConfig.defaults()), OptionalLong.of(5), OptionalLong.empty(), 2,
            true, Optional.of("bootRecovery"));
    store.write(intent);
    Clock fixed = Clock.fixed(Instant.ofEpochMilli(123_456), ZoneOffset.UTC);

    new Heartbeat(store, Duration.ofSeconds(10), fixed).beat();

    DesiredState after = store.current();
    assertThat(after.lastHeartbeatEpochMs()).hasValue(123_456);
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("lastHeartbeatEpochMs")
        .isEqualTo(intent);
  }

  @Test
  void beatsAtTheIntervalUntilStoppedAndLeavesNoThread() {
    DesiredStateStore store = DesiredStateStore.open(dir, "beating");
    TickingClock clock = new TickingClock();
    Heartbeat heartbeat = new Heartbeat(store, Duration.ofMillis(10), clock);

    heartbeat.start();
    heartbeat.start(); // idempotent
    assertThat(heartbeat.isRunning()).isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.current().lastHeartbeatEpochMs().orElse(0) >= 1_005_000);
    heartbeat.stop();

    assertThat(heartbeat.isRunning()).isFalse();
    assertThat(heartbeatThreads("beating")).isZero();
    int readings = clock.readings.get();
    long written = store.current().lastHeartbeatEpochMs().orElseThrow();
    assertThat(written).isEqualTo(clock.millis.get());
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> clock.readings.get() == readings);
    heartbeat.stop(); // idempotent
  }

  @Test
  void canBeRestartedAfterStop() {
    DesiredStateStore store = DesiredStateStore.open(dir, "again");
    TickingClock clock = new TickingClock();
    try (Heartbeat heartbeat = new Heartbeat(store, Duration.ofHours(1), clock)) {
      heartbeat.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> clock.readings.get() == 1);
      heartbeat.stop();
      heartbeat.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> clock.readings.get() == 2);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> store.current().lastHeartbeatEpochMs().orElse(0) == 1_002_000);
    }
    assertThat(heartbeatThreads("again")).isZero();
  }

  @Test
  void rejectsANonPositiveInterval() {
    DesiredStateStore store = DesiredStateStore.open(dir, "demo");

    assertThatThrownBy(() -> new Heartbeat(store, Duration.ZERO, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat interval must be positive");
    assertThat(new Heartbeat(store).interval()).isEqualTo(Heartbeat.DEFAULT_INTERVAL);
  }

  private static long heartbeatThreads(String label) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("bgservice-heartbeat-" + label))
        .count();
  }
}
