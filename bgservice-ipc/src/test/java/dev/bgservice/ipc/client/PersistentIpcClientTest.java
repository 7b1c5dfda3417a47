package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.StartOptions;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.InitFailedException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent client against a real version 2 test sidecar over a real socket. */
class PersistentIpcClientTest {

  /** Fast retries, so reconnects in these tests take milliseconds. */
  static final ReconnectPolicy FAST =
      ReconnectPolicy.DEFAULT
          .withInitialDelay(Duration.ofMillis(20))
          .withMaxDelay(Duration.ofMillis(200))
          .withUnboundedRetries();

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Path socket() {
    return dir.resolve("svc.sock");
  }

  private TestSidecar sidecar() throws Exception {
    TestSidecar sidecar = TestSidecar.start(socket(), TestSidecar.Dialect.V2);
    toClose.add(sidecar);
    return sidecar;
  }

  private PersistentIpcClient client(Duration callTimeout) {
    PersistentIpcClient client =
        PersistentIpcClient.builder(socket())
            .callTimeout(callTimeout)
            .reconnectPolicy(FAST)
            .build();
    toClose.add(client);
    return client;
  }

  private PersistentIpcClient connectedClient(Duration callTimeout) throws Exception {
    PersistentIpcClient client = client(callTimeout);
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    return client;
  }

  @Test
  void forwardsEveryCallAndMapsFailuresToTheInProcessExceptions() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    assertThat(client.protocolVersion()).isEqualTo(OptionalInt.of(2));
    assertThat(client.sidecarInstance()).contains(sidecar.instance());

    assertThat(client.isRunning()).isFalse();
    assertThat(client.getDesiredState()).isEmpty();
    client.start(new StartConfig("Syncing", null, null));
    assertThat(client.isRunning()).isTrue();
    assertThat(client.getState().state()).isEqualTo("running");
    LifecycleStatus status = client.getLifecycleStatus();
    assertThat(status.state()).isEqualTo(StatusState.RUNNING);
    assertThat(status.lastStartConfig()).map(StartConfig::serviceLabel).contains("Syncing");

    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(AlreadyRunningException.class)
        .hasMessage("Service is already running");
    client.stop();
    assertThatThrownBy(client::stop)
        .isInstanceOf(NotRunningException.class)
        .hasMessage("Service is not running");

    client.enableAutoRestart(Optional.empty());
    assertThat(client.getDesiredState()).map(DesiredState::desiredRunning).contains(true);
    client.disableAutoRestart();
    assertThat(client.getDesiredState()).map(DesiredState::desiredRunning).contains(false);
    assertThat(client.validateSetup().ok()).isTrue();

    // Every request after the hello carried an id; ids are what lets answers come in any order.
    List<String> requests = sidecar.requests();
    assertThat(requests.get(0)).startsWith("{\"kind\":\"request\",\"type\":\"hello\",\"version\":2");
    assertThat(requests.subList(1, requests.size())).allMatch(r -> r.contains("\"id\":"));
    assertThat(sidecar.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void deliversEventsInOrderOnTheExecutorEachListenerChose() throws Exception {
    TestSidecar sidecar = sidecar();
    ExecutorService appThread =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "app-events"));
    toClose.add(appThread::shutdownNow);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    Recorder onApp = new Recorder();
    Recorder onReader = new Recorder();
    Recorder onDefault = new Recorder();
    client.subscribe(onApp, appThread);
    client.subscribe(onReader, Executors.sameThread());
    client.subscribe(onDefault);

    int count = 500;
    for (int i = 0; i < count; i++) {
      sidecar.emit(new Event.Custom("tick", JsonNodeFactory.instance.numberNode(i)));
    }
    List<Long> expected = LongStream.rangeClosed(1, count).boxed().toList();
    for (Recorder recorder : List.of(onApp, onReader, onDefault)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() >= count);
      assertThat(recorder.seqs()).containsExactlyElementsOf(expected);
      assertThat(recorder.eventsOf(ServiceEvent.Custom.class))
          .extracting(e -> e.payload().intValue())
          .containsExactlyElementsOf(LongStream.range(0, count).mapToObj(i -> (int) i).toList());
    }
    assertThat(onApp.threads).containsOnly("app-events");
    assertThat(onReader.threads).allMatch(t -> t.startsWith("bgservice-ipc-client-") && t.endsWith("-reader"));
    assertThat(onDefault.threads).allMatch(t -> t.startsWith("bgservice-ipc-client-") && t.endsWith("-events"));
    assertThat(client.lastEventSeq()).isEqualTo(count);
  }

  @Test
  void aFailedInitReachesTheCallerThatWaitedForIt() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    sidecar.failNextInit("Initialisation failed: disk full");
    assertThatThrownBy(
            () -> client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit()))
        .isInstanceOf(InitFailedException.class)
        .hasMessage("Initialisation failed: disk full");
    assertThat(sidecar.requests()).anyMatch(r -> r.contains("\"wait\":true"));
  }

  @Test
  void callsFailFastWithIpcUnavailableWhileDisconnected() {
    PersistentIpcClient client = client(Duration.ofSeconds(30));
    // Nothing listens: the failure is ipc_unavailable, not the 30 s deadline's timeout.
    assertThatThrownBy(client::isRunning)
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining(socket().toString())
        .hasMessageContaining("not connected");
    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void aSocketPathTooLongForThePlatformIsRefusedAtOnce() {
    Path tooLong = dir.resolve("x".repeat(120) + ".sock");
    assertThatThrownBy(() -> PersistentIpcClient.builder(tooLong).build())
        .isInstanceOf(BgServiceException.class)
        .hasMessageContaining("bytes long")
        .satisfies(
            e -> assertThat(((BgServiceException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void startCanWaitForTheConnectionWithinItsDeadline() throws Exception {
    PersistentIpcClient client = client(Duration.ofSeconds(10));
    CompletableFuture<Void> started =
        client.startAsync(
            StartConfig.defaults(),
            StartOptions.DEFAULT.withWaitForConnection().withTimeout(Duration.ofSeconds(20)));
    assertThat(started).isNotDone();
    TestSidecar sidecar = sidecar();
    Futures.await(started, Duration.ofSeconds(20), "start");
    assertThat(sidecar.status().state()).isEqualTo(StatusState.RUNNING);
  }

  @Test
  void startWaitingForAConnectionFailsWhenNoneComesInTime() {
    PersistentIpcClient client = client(Duration.ofSeconds(10));
    CompletableFuture<Void> started =
        client.startAsync(
            StartConfig.defaults(),
            StartOptions.DEFAULT.withWaitForConnection().withTimeout(Duration.ofMillis(300)));
    assertThatThrownBy(() -> Futures.await(started, Duration.ofSeconds(10), "start"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("could not be reached within 300 ms to send start");
  }

  @Test
  void pendingCallsFailAtOnceWhenTheConnectionDrops() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofMinutes(5));
    sidecar.stall("getState");
    CompletableFuture<?> state = client.getStateAsync();
    await().until(() -> sidecar.requests().stream().anyMatch(r -> r.contains("getState")));
    sidecar.dropConnections();
    // Not the 5 min deadline: the drop itself fails the call.
    assertThatThrownBy(() -> Futures.await(state, Duration.ofSeconds(30), "getState"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("did not answer getState");
    // ... and the client is back by itself.
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    sidecar.releaseStalled();
    assertThat(client.isRunning()).isFalse();
  }

  @Test
  void aStalledAnswerTimesOutAndTheVersion2ConnectionStaysUsable() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofMillis(500));
    sidecar.stall("getState");
    assertThatThrownBy(client::getState)
        .isInstanceOf(ServiceTimeoutException.class)
        .hasMessageContaining("did not answer getState within 500 ms");
    // Answers by id: the late answer is ignored and later calls get their own.
    assertThat(client.isRunning()).isFalse();
    sidecar.releaseStalled();
    assertThat(client.getDesiredState()).isEmpty();
    assertThat(client.isRunning()).isFalse();
    assertThat(sidecar.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void answersMayComeInAnyOrderAndStillReachTheirCalls() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    sidecar.stall("isRunning");
    CompletableFuture<Boolean> running = client.isRunningAsync();
    await().until(() -> sidecar.requests().stream().anyMatch(r -> r.contains("isRunning")));
    assertThat(client.getState().state()).isEqualTo("idle"); // answered first
    assertThat(running).isNotDone();
    sidecar.releaseStalled();
    assertThat(Futures.await(running, Duration.ofSeconds(10), "isRunning")).isFalse();
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnAnswer() throws Exception {
    sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(30));
    client.enableAutoRestart(Optional.of(new StartConfig("label", null, null)));
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      switch (i % 4) {
        case 0 -> calls.add(client.isRunningAsync().thenAccept(r -> assertThat(r).isFalse()));
        case 1 -> calls.add(client.getStateAsync().thenAccept(s -> assertThat(s.state()).isEqualTo("idle")));
        case 2 -> calls.add(client.getDesiredStateAsync()
            .thenAccept(d -> assertThat(d).map(DesiredState::desiredRunning).contains(true)));
        default -> calls.add(client.validateSetupAsync().thenAccept(r -> assertThat(r.ok()).isTrue()));
      }
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  @Test
  void reportsConnectionChangesAndReconnectsAtOnceAfterADrop() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    await().atMost(Duration.ofSeconds(5)).until(() -> client.connectionState() == ConnectionState.CONNECTED);

    sidecar.dropConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.states().contains(ConnectionState.CONNECTED));
    assertThat(recorder.states())
        .containsExactly(ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    ConnectionEvent disconnected = recorder.connections.get(0);
    assertThat(disconnected.lastError()).hasValueSatisfying(e -> assertThat(e).contains("closed"));
    assertThat(recorder.connections.get(1).attempt()).isEqualTo(1);
    assertThat(recorder.connections.get(2).lastError()).isEmpty();
    assertThat(sidecar.acceptedConnections()).isEqualTo(2);
  }

  @Test
  void lifecycleStatusIsSynthesizedWhileDisconnected() throws Exception {
    PersistentIpcClient never = client(Duration.ofSeconds(10));
    LifecycleStatus unknown = never.getLifecycleStatus();
    assertThat(unknown.state()).isEqualTo(StatusState.STOPPED);
    assertThat(unknown.desiredRunning()).isFalse();
    assertThat(unknown.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains(socket().toString()).contains("unreachable"));
    assertThat(unknown.capabilities().lifecycleMode()).isEqualTo(LifecycleMode.DESKTOP_OS_SERVICE);
    never.close();

    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    client.start(StartConfig.defaults());
    sidecar.close(); // the sidecar dies while the service is wanted running
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
    LifecycleStatus pending = client.getLifecycleStatus();
    assertThat(pending.state()).isEqualTo(StatusState.RECOVERY_PENDING);
    assertThat(pending.desiredRunning()).isTrue();
    assertThat(pending.recoveryPending()).isTrue();
    assertThat(pending.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains(socket().toString()).contains("unreachable"));
    // What the sidecar said about itself is kept.
    assertThat(pending.capabilities().limitations()).containsExactly("test sidecar");

    TestSidecar again = TestSidecar.start(socket(), TestSidecar.Dialect.V2);
    toClose.add(again);
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    client.start(StartConfig.defaults());
    client.stop();
    again.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
    assertThat(client.getLifecycleStatus().state()).isEqualTo(StatusState.STOPPED);
  }

  @Test
  void closeFailsWaitingCallsIsIdempotentAndLaterCallsFail() throws Exception {
    TestSidecar sidecar = sidecar();
    PersistentIpcClient client = connectedClient(Duration.ofMinutes(5));
    sidecar.stall("getState");
    CompletableFuture<?> state = client.getStateAsync();
    await().until(() -> sidecar.requests().stream().anyMatch(r -> r.contains("getState")));
    client.close();
    client.close();
    assertThat(state).isCompletedExceptionally();
    assertThatThrownBy(() -> Futures.await(state, Duration.ofSeconds(1), "getState"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("client was closed");
    assertThat(client.connectionState()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(client::isRunning)
        .isInstanceOf(BgServiceException.class)
        .satisfies(e -> assertThat(((BgServiceException) e).code()).isEqualTo(ErrorCode.IPC_UNAVAILABLE))
        .hasMessageContaining("is closed");
    assertThatThrownBy(client::getLifecycleStatus).isInstanceOf(ServiceUnavailableException.class);
    assertThat(client.waitForConnected(Duration.ofSeconds(1))).isFalse();
  }
}
