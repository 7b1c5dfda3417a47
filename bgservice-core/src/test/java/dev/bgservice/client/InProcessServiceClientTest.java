package dev.bgservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.InitFailedException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessServiceClientTest {
  @TempDir Path tmp;

  private final AtomicReference<Supplier<BackgroundService>> next =
      new AtomicReference<>(() -> InProcessServiceClientTest::runUntilCancelled);
  private InProcessServiceClient client;
  private final List<ServiceEvent> events = new CopyOnWriteArrayList<>();

  private static void runUntilCancelled(ServiceContext context) throws InterruptedException {
    context.events().emit("hello", Map.of("n", 1));
    context.shutdown().await(Duration.ofSeconds(30));
  }

  private InProcessServiceClient client() {
    if (client == null) {
      LifecycleManager manager =
          LifecycleManager.builder("client-test", () -> next.get().get())
              .dataDirectory(tmp)
              .stopGrace(Duration.ofMillis(100))
              .build();
      client =
          InProcessServiceClient.builder(manager)
              .callTimeout(Duration.ofSeconds(5))
              .stateDirectory(tmp.resolve("state"))
              .build();
      client.subscribe(new CollectingListener(events), Executors.sameThread());
    }
    return client;
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void eventsAreNumberedConsecutivelyInOrder() {
    client().start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    client.stop(Duration.ofSeconds(5));

    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(
        e -> e instanceof ServiceEvent.Stopped));
    assertThat(events).extracting(ServiceEvent::seq).containsExactly(
        java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toArray(Long[]::new));
    assertThat(events).extracting(ServiceEvent::type).containsSubsequence(
        "stateChanged", "stateChanged", "started", "stateChanged", "stopped");
    assertThat(events).filteredOn(e -> e instanceof ServiceEvent.Custom).hasSize(1);
    assertThat(client.lastSeq()).isEqualTo(events.get(events.size() - 1).seq());
  }

  @Test
  void operationsMapToTheBaseProtocolAnswers() {
    assertThat(client().isRunning()).isFalse();
    assertThat(client.getState().state()).isEqualTo("idle");
    assertThat(client.getDesiredState()).isEmpty();

    client.start(new StartConfig("Syncing", null, null));

    assertThat(client.isRunning()).isTrue();
    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(AlreadyRunningException.class);
    assertThat(client.getDesiredState()).hasValueSatisfying(d -> {
      assertThat(d.desiredRunning()).isTrue();
      assertThat(d.lastStartConfig().orElseThrow().serviceLabel()).isEqualTo("Syncing");
    });
    client.stop(Duration.ofSeconds(5));
    assertThat(client.getState().state()).isEqualTo("stopped");
    assertThat(client.getLifecycleStatus().state()).isEqualTo(StatusState.STOPPED);
    assertThat(client.getDesiredState().orElseThrow().desiredRunning()).isFalse();
    assertThatThrownBy(() -> client.stop()).isInstanceOf(NotRunningException.class);
  }

  @Test
  void waitingStartReportsInitFailure() {
    next.set(() -> new BackgroundService() {
      @Override
      public void init(ServiceContext context) {
        throw new IllegalStateException("no token");
      }

      @Override
      public void run(ServiceContext context) {}
    });

    assertThatThrownBy(
            () -> client().start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit()))
        .isInstanceOf(InitFailedException.class)
        .hasMessage("Initialisation failed: no token");
    assertThat(client.getState().lastError()).contains("Initialisation failed: no token");
  }

  @Test
  void stopWithTimeoutFailsWithTimeoutWhenTheRunIsAbandoned() {
    CountDownLatch release = new CountDownLatch(1);
    next.set(() -> context -> {
      while (true) {
        try {
          release.await();
          return;
        } catch (InterruptedException ignored) {
          // refuses to stop
        }
      }
    });
    client().start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    try {
      assertThatThrownBy(() -> client.stop(Duration.ofMillis(50)))
          .isInstanceOf(ServiceTimeoutException.class)
          .hasMessageContaining("abandoned");
      assertThat(client.isRunning()).isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void autoRestartChangesOnlyTheIntent() {
    client().enableAutoRestart(Optional.of(new StartConfig("Later", null, null)));

    assertThat(client.isRunning()).isFalse();
    assertThat(client.getDesiredState().orElseThrow().desiredRunning()).isTrue();
    client.disableAutoRestart();
    assertThat(client.getDesiredState().orElseThrow().desiredRunning()).isFalse();
    assertThat(client.getDesiredState().orElseThrow().lastStartConfig().orElseThrow()
        .serviceLabel()).isEqualTo("Later");
  }

  @Test
  void closedClientRefusesCalls() {
    client().close();

    assertThat(client.isConnected()).isFalse();
    assertThat(client.connectionState()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(dev.bgservice.error.ServiceUnavailableException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> client.isRunning())
        .isInstanceOf(dev.bgservice.error.ServiceUnavailableException.class);
    assertThatThrownBy(() -> client.getLifecycleStatus())
        .isInstanceOf(dev.bgservice.error.ServiceUnavailableException.class);
  }

  @Test
  void validateSetupRunsRealChecksIncludingTheStateFile() {
    var report = client().validateSetup();

    assertThat(report.checks())
        .extracting(dev.bgservice.status.SetupCheck::code)
        .contains("service_label", "java_version", "state_dir", "state_file");
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void lifecycleStatusCarriesProbedInProcessCapabilities() {
    var capabilities = client().getLifecycleStatus().capabilities();

    assertThat(capabilities.lifecycleMode())
        .isEqualTo(dev.bgservice.status.LifecycleMode.DESKTOP_IN_PROCESS);
    assertThat(capabilities.survivesAppClose())
        .isEqualTo(dev.bgservice.status.Support.UNSUPPORTED);
  }

  private record CollectingListener(List<ServiceEvent> sink) implements ServiceListener {
    @Override
    public void onEvent(ServiceEvent event) {
      sink.add(event);
    }
  }
}
