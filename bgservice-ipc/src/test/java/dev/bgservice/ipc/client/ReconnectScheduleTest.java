package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.StartOptions;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.service.StartConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnect schedule, driven by a scheduler whose time the test advances: no real waits. The
 * socket path has nothing listening, so every attempt fails at once.
 */
@Timeout(60)
class ReconnectScheduleTest {

  @TempDir Path dir;

  private static final List<Long> DEFAULT_SECONDS = List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L, 30L);

  @Test
  void retriesAfterOneTwoFourUpToThirtySecondsThenGivesUpAfterTenRetries() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    Path socket = dir.resolve("absent.sock");
    Recorder recorder = new Recorder();
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(socket).scheduler(scheduler).build()) {
      client.subscribe(recorder, Executors.sameThread());
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTING);

      assertThat(scheduler.runNext()).contains(Duration.ZERO); // attempt 1 runs at once
      List<Duration> waits = new ArrayList<>();
      while (client.connectionState() != ConnectionState.GAVE_UP) {
        waits.add(scheduler.runNext().orElseThrow());
      }

      assertThat(waits).hasSize(10);
      for (int i = 0; i < waits.size(); i++) {
        long nominalMillis = DEFAULT_SECONDS.get(i) * 1000;
        assertThat(waits.get(i).toMillis())
            .as("retry %d", i + 1)
            .isBetween((long) (nominalMillis * 0.8), nominalMillis);
      }
      assertThat(scheduler.pending()).as("nothing more is scheduled").isZero();

      // DISCONNECTED(1), then CONNECTING(k) and DISCONNECTED(k) for k = 2..10, then 11 gives up.
      List<ConnectionEvent> expected = new ArrayList<>();
      expected.add(event(ConnectionState.DISCONNECTED, 1));
      for (int attempt = 2; attempt <= 10; attempt++) {
        expected.add(event(ConnectionState.CONNECTING, attempt));
        expected.add(event(ConnectionState.DISCONNECTED, attempt));
      }
      expected.add(event(ConnectionState.CONNECTING, 11));
      expected.add(event(ConnectionState.GAVE_UP, 11));
      assertThat(recorder.connections)
          .extracting(ConnectionEvent::state, ConnectionEvent::attempt)
          .containsExactlyElementsOf(
              expected.stream()
                  .map(e -> org.assertj.core.groups.Tuple.tuple(e.state(), e.attempt()))
                  .toList());
      assertThat(recorder.connections)
          .allSatisfy(
              e ->
                  assertThat(e.lastError())
                      .hasValueSatisfying(error -> assertThat(error).contains(socket.toString())));

      // Given up: every call fails at once and says what to do.
      assertThatThrownBy(client::isRunning)
          .isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("gave up after 11 attempts")
          .hasMessageContaining("reconnectNow()")
          .satisfies(
              e -> assertThat(((ServiceUnavailableException) e).code())
                  .isEqualTo(ErrorCode.IPC_UNAVAILABLE));
      // Nothing will connect until reconnectNow(): waiting says so at once instead of a day later.
      assertThat(client.waitForConnected(Duration.ofDays(1))).isFalse();
      CompletableFuture<Void> waiting =
          client.startAsync(
              StartConfig.defaults(), StartOptions.DEFAULT.withWaitForConnection());
      assertThat(waiting).isCompletedExceptionally();

      // reconnectNow starts a new round, which finds the sidecar that has come up meanwhile.
      try (TestSidecar sidecar = TestSidecar.start(socket, TestSidecar.Dialect.V2)) {
        recorder.connections.clear();
        client.reconnectNow();
        assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(scheduler.runNext()).contains(Duration.ZERO);
        assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
        // The event is delivered by the reader thread just after the state changed.
        await().until(() -> recorder.connections.size() == 2);
        assertThat(recorder.connections)
            .extracting(ConnectionEvent::state, ConnectionEvent::attempt)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(ConnectionState.CONNECTING, 1),
                org.assertj.core.groups.Tuple.tuple(ConnectionState.CONNECTED, 1));
        assertThat(client.isRunning()).isFalse();
      }
    }
  }

  @Test
  void unboundedPolicyKeepsRetryingAtTheCap() {
    ManualScheduler scheduler = new ManualScheduler();
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(dir.resolve("absent.sock"))
            .scheduler(scheduler)
            .reconnectPolicy(ReconnectPolicy.DEFAULT.withUnboundedRetries().withJitter(0))
            .build()) {
      scheduler.runNext();
      List<Duration> waits = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        waits.add(scheduler.runNext().orElseThrow());
      }
      assertThat(client.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
      assertThat(client.lastConnectionEvent().attempt()).isEqualTo(51);
      assertThat(waits.subList(0, 6))
          .containsExactly(
              Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
              Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30));
      assertThat(waits.subList(6, 50)).containsOnly(Duration.ofSeconds(30));
    }
  }

  @Test
  void noRetriesMeansGivingUpAfterTheFirstAttempt() {
    ManualScheduler scheduler = new ManualScheduler();
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(dir.resolve("absent.sock"))
            .scheduler(scheduler)
            .reconnectPolicy(ReconnectPolicy.DEFAULT.withMaxRetries(0))
            .build()) {
      scheduler.runNext();
      assertThat(client.connectionState()).isEqualTo(ConnectionState.GAVE_UP);
      assertThat(client.lastConnectionEvent().attempt()).isEqualTo(1);
      assertThat(scheduler.pending()).isZero();
    }
  }

  @Test
  void reconnectNowSkipsTheWaitForTheNextRetry() {
    ManualScheduler scheduler = new ManualScheduler();
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(dir.resolve("absent.sock")).scheduler(scheduler).build()) {
      scheduler.runNext();
      scheduler.runNext(); // retry 1 (attempt 2) fails; retry 2 waits about 2 s
      assertThat(scheduler.nextDelay()).hasValueSatisfying(d -> assertThat(d).isPositive());
      client.reconnectNow();
      assertThat(scheduler.pending()).as("the pending retry was cancelled").isEqualTo(1);
      assertThat(scheduler.nextDelay()).contains(Duration.ZERO);
      assertThat(client.lastConnectionEvent().attempt()).isEqualTo(1);
    }
  }

  @Test
  void closingCancelsTheScheduledRetry() {
    ManualScheduler scheduler = new ManualScheduler();
    PersistentIpcClient client =
        PersistentIpcClient.builder(dir.resolve("absent.sock")).scheduler(scheduler).build();
    scheduler.runNext();
    assertThat(scheduler.pending()).isEqualTo(1);
    client.close();
    assertThat(scheduler.pending()).isZero();
    assertThat(client.connectionState()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(client::isRunning).hasMessageContaining("is closed");
  }

  private static ConnectionEvent event(ConnectionState state, int attempt) {
    return new ConnectionEvent(state, attempt, Optional.empty());
  }
}
