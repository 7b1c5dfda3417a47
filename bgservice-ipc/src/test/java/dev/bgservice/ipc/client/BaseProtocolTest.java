package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.StartOptions;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.InitFailedException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a sidecar that speaks only the base protocol (like the Rust one): it answers
 * hello with version 1 or with an error, knows no ids and sends only the base events, unnumbered.
 */
class BaseProtocolTest {

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

  private TestSidecar sidecar(TestSidecar.Dialect dialect) throws Exception {
    TestSidecar sidecar = TestSidecar.start(socket(), dialect);
    toClose.add(sidecar);
    return sidecar;
  }

  private PersistentIpcClient connectedClient(Duration callTimeout) throws Exception {
    PersistentIpcClient client =
        PersistentIpcClient.builder(socket())
            .callTimeout(callTimeout)
            .reconnectPolicy(PersistentIpcClientTest.FAST)
            .build();
    toClose.add(client);
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    return client;
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void runsEveryRequestWithoutIdsInStrictOrder(TestSidecar.Dialect dialect) throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    assertThat(client.protocolVersion()).isEqualTo(OptionalInt.of(1));
    assertThat(client.sidecarInstance()).isEmpty();

    assertThat(client.isRunning()).isFalse();
    assertThat(client.getDesiredState()).isEmpty();
    client.start(new StartConfig("Syncing", "dataSync", null));
    assertThat(client.getState().state()).isEqualTo("running");
    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(AlreadyRunningException.class);
    assertThat(client.getLifecycleStatus().state()).isEqualTo(StatusState.RUNNING);
    client.stop();
    assertThatThrownBy(client::stop).isInstanceOf(NotRunningException.class);
    client.enableAutoRestart(Optional.empty());
    assertThat(client.getDesiredState()).map(DesiredState::desiredRunning).contains(true);
    client.disableAutoRestart();
    assertThat(client.validateSetup().ok()).isTrue();

    List<String> requests = sidecar.requests();
    assertThat(requests.get(0)).isEqualTo("{\"kind\":\"request\",\"type\":\"hello\",\"version\":2}");
    assertThat(requests.subList(1, 4))
        .containsExactly(
            "{\"kind\":\"request\",\"type\":\"isRunning\"}",
            "{\"kind\":\"request\",\"type\":\"getDesiredState\"}",
            "{\"kind\":\"request\",\"type\":\"start\",\"config\":"
                + "{\"serviceLabel\":\"Syncing\",\"foregroundServiceType\":\"dataSync\"}}");
    assertThat(requests).noneMatch(r -> r.contains("\"id\""));

    // Pipelined: many requests in flight, answered in order, each to its own call.
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(client.isRunningAsync().thenAccept(r -> assertThat(r).isFalse()));
      calls.add(client.getStateAsync().thenAccept(s -> assertThat(s.state()).isEqualTo("idle")));
      calls.add(client.getDesiredStateAsync().thenAccept(d -> assertThat(d).isPresent()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void deliversTheBaseEventsUnnumbered(TestSidecar.Dialect dialect) throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    sidecar.emit(new Event.Started());
    sidecar.emit(new Event.Custom("tick", JsonNodeFactory.instance.numberNode(1))); // not base
    sidecar.emit(new Event.Stopped("userStop"));
    sidecar.emit(new Event.Failed("disk full"));
    await().until(() -> recorder.events.size() == 3);
    assertThat(recorder.events)
        .extracting(ServiceEvent::type)
        .containsExactly("started", "stopped", "error");
    assertThat(recorder.events).extracting(ServiceEvent::seq).containsOnly(0L);
    assertThat(recorder.events).allSatisfy(e -> assertThat(e.timestampMs()).isPositive());
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void aTimedOutRequestPoisonsTheConnectionWhichIsReestablished(TestSidecar.Dialect dialect)
      throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofMillis(500));
    sidecar.stall("getState");
    assertThatThrownBy(client::getState)
        .isInstanceOf(ServiceTimeoutException.class)
        .hasMessageContaining("did not answer getState within 500 ms");
    // Its late answer would be taken for the next request's: the connection must go.
    await().until(() -> sidecar.acceptedConnections() == 2 && client.isConnected());
    sidecar.releaseStalled();
    assertThat(client.isRunning()).isFalse();
    assertThat(client.getDesiredState()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void waitingForInitAndForTheRunToReturnUseTheBaseEvents(TestSidecar.Dialect dialect)
      throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    assertThat(sidecar.requests()).noneMatch(r -> r.contains("\"wait\""));
    client.stop(Duration.ofSeconds(5));
    assertThat(sidecar.requests()).noneMatch(r -> r.contains("timeoutMs"));
    assertThat(client.isRunning()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void aStartWaitingForInitFailsWithTheErrorEventOfItsRun(TestSidecar.Dialect dialect)
      throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    sidecar.failNextInit("Initialisation failed: disk full");
    assertThatThrownBy(
            () -> client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit()))
        .isInstanceOf(InitFailedException.class)
        .hasMessage("Initialisation failed: disk full");
    assertThat(client.isRunning()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(names = {"BASE_VERSION_1", "BASE_ERROR"})
  void afterAReconnectListenersGetAFreshSnapshot(TestSidecar.Dialect dialect) throws Exception {
    TestSidecar sidecar = sidecar(dialect);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    sidecar.setRunning(true);
    sidecar.dropConnections();
    await().until(() -> !recorder.eventsOf(ServiceEvent.Resync.class).isEmpty());
    ServiceEvent.Resync resync = recorder.eventsOf(ServiceEvent.Resync.class).get(0);
    assertThat(resync.status().state()).isEqualTo(StatusState.RUNNING);
    assertThat(resync.seq()).isZero();
  }

  @Test
  void aRefusedStartThatWouldWaitForInitFailsWithTheSidecarsError() throws Exception {
    sidecar(TestSidecar.Dialect.BASE_VERSION_1);
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    client.start(StartConfig.defaults()); // the run is active: the next start fails at once
    CompletableFuture<Void> again =
        client.startAsync(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    assertThatThrownBy(() -> Futures.await(again, Duration.ofSeconds(10), "start"))
        .isInstanceOf(AlreadyRunningException.class);
  }
}
