package dev.bgservice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.client.StartOptions;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.client.ReconnectPolicy;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sidecar processes killed and restarted under a live persistent client: the client
 * reconnects by itself and resumes, no call outlives its deadline, and the new sidecar acts on
 * the persisted intent.
 */
class SidecarRecoveryIT {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path tmp;

  private BgsProcess.Server serve(int n) throws Exception {
    return new BgsProcess.Server(
        tmp.resolve("s.sock"), tmp.resolve("state"), tmp.resolve("serve-" + n + ".log"));
  }

  @Test
  void killNineWhileStreamingAndCallingThenANewSidecarRecoversTheServiceAndTheClientResumes()
      throws Exception {
    List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    List<ConnectionState> connections = new CopyOnWriteArrayList<>();
    AtomicLong slowestCallMillis = new AtomicLong();
    AtomicBoolean calling = new AtomicBoolean(true);
    ReconnectPolicy fast =
        ReconnectPolicy.DEFAULT.withInitialDelay(Duration.ofMillis(100))
            .withMaxDelay(Duration.ofMillis(500))
            .withUnboundedRetries();
    BgsProcess.Server first = serve(1);
    BgsProcess.Server second = null;
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(tmp.resolve("s.sock"))
            .callTimeout(CALL_TIMEOUT)
            .reconnectPolicy(fast)
            .build()) {
      client.subscribe(
          new ServiceListener() {
            @Override
            public void onEvent(ServiceEvent event) {
              events.add(event);
            }

            @Override
            public void onConnection(ConnectionEvent event) {
              connections.add(event.state());
            }
          },
          Executors.sameThread());
      assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
      client.start(
          StartConfig.withParams(JsonNodeFactory.instance.objectNode().put("intervalMs", 50)),
          StartOptions.DEFAULT.withWaitForInit());
      await().atMost(Duration.ofSeconds(10)).until(() -> ticks(events) >= 3);

      Thread caller = new Thread(() -> {
        while (calling.get()) {
          long start = System.nanoTime();
          try {
            client.isRunning();
          } catch (BgServiceException expectedWhileDown) {
            // fails fast with ipc_unavailable while disconnected
          }
          slowestCallMillis.accumulateAndGet(
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        }
      }, "test-caller");
      caller.start();

      first.process.destroyForcibly().waitFor(); // SIGKILL
      await().atMost(Duration.ofSeconds(10))
          .until(() -> connections.contains(ConnectionState.DISCONNECTED));
      assertThat(client.getLifecycleStatus().state()).isEqualTo(StatusState.RECOVERY_PENDING);
      int eventsBeforeRestart = events.size();

      second = serve(2);

      await().atMost(Duration.ofSeconds(15)).until(client::isConnected);
      // The new sidecar starts the service by itself from the persisted intent.
      await().atMost(Duration.ofSeconds(15)).until(() -> ticks(events.subList(
          eventsBeforeRestart, events.size())) >= 3);
      assertThat(events.subList(eventsBeforeRestart, events.size()))
          .anySatisfy(e -> assertThat(e).isInstanceOf(ServiceEvent.Resync.class));
      assertThat(client.isRunning()).isTrue();
      assertThat(client.getDesiredState().orElseThrow().desiredRunning()).isTrue();

      calling.set(false);
      caller.join(10_000);
      // Every call ended within its deadline (plus scheduling slack on a loaded machine).
      assertThat(slowestCallMillis.get()).isLessThan(CALL_TIMEOUT.toMillis() + 1_000);

      // A user stop clears the intent.
      client.stop(Duration.ofSeconds(5));
      assertThat(client.getDesiredState().orElseThrow().desiredRunning()).isFalse();
    } finally {
      calling.set(false);
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  @Test
  void sigtermKeepsTheIntentSoTheNextSidecarStartsTheServiceAgain() throws Exception {
    try (BgsProcess.Server first = serve(1)) {
      assertThat(BgsProcess.run("start", "--socket", tmp.resolve("s.sock").toString(), "--wait")
          .exitCode()).isZero();
    } // SIGTERM: an orderly appStop

    try (BgsProcess.Server second = serve(2)) {
      String sock = tmp.resolve("s.sock").toString();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          BgsProcess.run("is-running", "--socket", sock).stdout().trim().equals("true"));
      BgsProcess.Result desired = BgsProcess.run("desired-state", "--socket", sock, "--json");
      assertThat(desired.stdout()).contains("\"desiredRunning\":true");
      BgsProcess.Result status = BgsProcess.run("status", "--socket", sock, "--json");
      assertThat(status.stdout()).contains("\"state\":\"running\"");
    }
  }

  @Test
  void aCorruptStateFileIsKeptAsideAndReportedWhileTheSidecarRuns() throws Exception {
    Path stateDir = tmp.resolve("state");
    java.nio.file.Files.createDirectories(stateDir);
    byte[] garbage = "{\"desiredRunning\": tru".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.file.Files.write(stateDir.resolve("bgservice.state.json"), garbage);

    try (BgsProcess.Server server = serve(1)) {
      String sock = tmp.resolve("s.sock").toString();
      BgsProcess.Result validate = BgsProcess.run("validate", "--socket", sock, "--json");
      assertThat(validate.stdout()).contains("state_file").contains("\"status\":\"fail\"");
      BgsProcess.Result status = BgsProcess.run("status", "--socket", sock, "--json");
      assertThat(status.stdout()).contains("state_file_corrupt");
      assertThat(BgsProcess.run("is-running", "--socket", sock).stdout().trim()).isEqualTo("false");
    }
    try (var files = java.nio.file.Files.list(stateDir)) {
      Path kept = files.filter(p -> p.getFileName().toString().contains(".corrupt-"))
          .findFirst().orElseThrow(() -> new AssertionError("no corrupt copy kept aside"));
      assertThat(java.nio.file.Files.readAllBytes(kept)).isEqualTo(garbage);
    }
  }

  private static long ticks(List<ServiceEvent> events) {
    return events.stream()
        .filter(e -> e instanceof ServiceEvent.Custom c && c.name().equals("tick"))
        .count();
  }
}
