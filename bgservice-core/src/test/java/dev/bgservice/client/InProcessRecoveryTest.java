package dev.bgservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.StatusState;
import dev.bgservice.supervision.RestartPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process client with a persisted intent, supervision and recovery at build time. */
class InProcessRecoveryTest {
  private static final RestartPolicy FAST =
      RestartPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(40)).withJitter(0);

  @TempDir Path tmp;

  private final List<InProcessServiceClient> clients = new ArrayList<>();
  private final List<StartConfig> configs = new CopyOnWriteArrayList<>();
  private final AtomicInteger runFailures = new AtomicInteger();

  @AfterEach
  void closeAll() {
    Collections.reverse(clients);
    clients.forEach(InProcessServiceClient::close);
  }

  private BackgroundService service() {
    return new BackgroundService() {
      @Override
      public void init(ServiceContext context) {
        configs.add(context.config());
      }

      @Override
      public void run(ServiceContext context) throws InterruptedException {
        if (runFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new IllegalStateException("flaky");
        }
        context.shutdown().await(Duration.ofSeconds(30));
      }
    };
  }

  private InProcessServiceClient client(UnaryOperator<InProcessServiceClient.Builder> configure) {
    LifecycleManager manager =
        LifecycleManager.builder("recovering", this::service).dataDirectory(tmp.resolve("data")).build();
    InProcessServiceClient client =
        configure
            .apply(
                InProcessServiceClient.builder(manager)
                    .stateDirectory(tmp.resolve("state"))
                    .restartPolicy(FAST))
            .build();
    clients.add(client);
    return client;
  }

  private static void awaitState(ServiceClient client, StatusState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> client.getLifecycleStatus().state() == state);
  }

  @Test
  void theIntentOutlivesTheClientAndANewClientWithRecoveryActsOnIt() {
    InProcessServiceClient first = client(b -> b);
    StartConfig config = new StartConfig("Syncing", null, null);
    first.start(config, StartOptions.DEFAULT.withWaitForInit());
    first.close();

    InProcessServiceClient second = client(b -> b.recovery(true));

    awaitState(second, StatusState.RUNNING);
    assertThat(configs).containsExactly(config, config);
    LifecycleStatus status = second.getLifecycleStatus();
    assertThat(status.desiredRunning()).isTrue();
    assertThat(status.recoveryEnabled()).isTrue();
    assertThat(status.recoveryReason()).contains("bootRecovery");
    assertThat(status.lastStartConfig()).contains(config);
    DesiredState persisted = second.getDesiredState().orElseThrow();
    assertThat(persisted.desiredRunning()).isTrue();
    assertThat(persisted.recoveryReason()).contains("bootRecovery");
  }

  @Test
  void withoutRecoveryTheIntentIsReportedButNothingStarts() {
    InProcessServiceClient first = client(b -> b);
    first.enableAutoRestart(Optional.of(new StartConfig("Later", null, null)));
    first.close();

    InProcessServiceClient second = client(b -> b);

    assertThat(second.isRunning()).isFalse();
    LifecycleStatus status = second.getLifecycleStatus();
    assertThat(status.state()).isEqualTo(StatusState.RECOVERY_PENDING);
    assertThat(status.desiredRunning()).isTrue();
    assertThat(status.recoveryPending()).isTrue();
    assertThat(configs).isEmpty();
  }

  @Test
  void aUserStopIsNotRecovered() {
    InProcessServiceClient first = client(b -> b);
    first.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    first.stop(Duration.ofSeconds(5));
    first.close();

    InProcessServiceClient second = client(b -> b.recovery(true));

    assertThat(second.isRunning()).isFalse();
    assertThat(second.getLifecycleStatus().state()).isEqualTo(StatusState.IDLE);
    assertThat(second.getDesiredState().orElseThrow().desiredRunning()).isFalse();
  }

  @Test
  void aFailingServiceIsRestartedInProcess() {
    runFailures.set(2);
    InProcessServiceClient client = client(b -> b);

    client.start(StartConfig.defaults());

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                configs.size() == 3 && client.getLifecycleStatus().state() == StatusState.RUNNING);
    assertThat(client.getDesiredState().orElseThrow().restartAttempt()).isEqualTo(2);
    assertThat(client.getLifecycleStatus().lastError()).contains("Service failed: flaky");
  }

  @Test
  void aCorruptStateFileIsReportedAsAnIssue() throws IOException {
    Path stateDir = Files.createDirectories(tmp.resolve("state"));
    Files.writeString(stateDir.resolve("recovering.state.json"), "\"half");

    InProcessServiceClient client = client(b -> b.recovery(true));

    LifecycleStatus status = client.getLifecycleStatus();
    assertThat(status.state()).isEqualTo(StatusState.IDLE);
    assertThat(status.issues()).extracting(i -> i.code()).containsExactly("state_file_corrupt");
    assertThat(client.getDesiredState()).isEmpty();
    try (var files = Files.list(stateDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("recovering.state.json.corrupt-"));
    }
  }
}
