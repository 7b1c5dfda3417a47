package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening and closing clients leaves no thread behind. */
class ThreadLeakTest {

  private static final int CYCLES = 1000;

  @TempDir Path dir;

  /** The client's threads: every one is named with this prefix. */
  private static Set<String> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("bgservice-ipc-client-"))
        .collect(Collectors.toSet());
  }

  private static void awaitNoClientThreads() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(clientThreads()).isEmpty());
  }

  @Test
  void openCloseCyclesAgainstALiveSidecarLeaveNoThreads() throws Exception {
    awaitNoClientThreads();
    ServiceListener ignore = (ServiceEvent event) -> {};
    try (TestSidecar sidecar = TestSidecar.start(dir.resolve("live.sock"), TestSidecar.Dialect.V2)) {
      for (int i = 0; i < CYCLES; i++) {
        PersistentIpcClient client = PersistentIpcClient.builder(dir.resolve("live.sock")).build();
        client.subscribe(ignore); // the default event thread too
        assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
        if (i % 100 == 0) {
          assertThat(client.isRunning()).isFalse();
        }
        client.close();
      }
      assertThat(sidecar.acceptedConnections()).isEqualTo(CYCLES);
    }
    // close() waits for its threads; the check allows the JDK's own threads only.
    assertThat(clientThreads()).isEmpty();
  }

  @Test
  void openCloseCyclesWithNoSidecarLeaveNoThreads() {
    awaitNoClientThreads();
    for (int i = 0; i < CYCLES; i++) {
      PersistentIpcClient client = PersistentIpcClient.builder(dir.resolve("absent.sock")).build();
      client.close();
    }
    // close() waits for its threads (timer, reader, writer, events): none may be left.
    assertThat(clientThreads()).isEmpty();
  }

  @Test
  void closingFromAListenerOnTheReaderThreadDoesNotHangAndLeavesNoThreads() throws Exception {
    awaitNoClientThreads();
    try (TestSidecar sidecar = TestSidecar.start(dir.resolve("live.sock"), TestSidecar.Dialect.V2)) {
      PersistentIpcClient client = PersistentIpcClient.builder(dir.resolve("live.sock")).build();
      assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
      client.subscribe(event -> client.close(), dev.bgservice.client.Executors.sameThread());
      sidecar.emit(new dev.bgservice.ipc.codec.Event.Started());
      await().until(() -> client.connectionState() == dev.bgservice.client.ConnectionState.CLOSED);
    }
    awaitNoClientThreads();
  }

  @Test
  void threadsAreDaemonsNamedForTheClient() throws Exception {
    try (TestSidecar sidecar = TestSidecar.start(dir.resolve("live.sock"), TestSidecar.Dialect.V2);
        PersistentIpcClient client = PersistentIpcClient.builder(dir.resolve("live.sock")).build()) {
      assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
      List<Thread> threads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("bgservice-ipc-client-"))
              .toList();
      assertThat(threads).extracting(Thread::getName)
          .anyMatch(n -> n.endsWith("-timer"))
          .anyMatch(n -> n.endsWith("-reader"))
          .anyMatch(n -> n.endsWith("-writer"));
      assertThat(threads).allMatch(Thread::isDaemon);
    }
  }
}
