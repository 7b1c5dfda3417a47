package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Orderly shutdown: shuttingDown, drained and closed clients, files removed, no thread left. */
@Timeout(60)
class ShutdownTest {

  @TempDir Path dir;
  private TestEngine engine;

  @BeforeEach
  void engine() {
    engine = new TestEngine(dir.resolve("data"));
  }

  private final List<IpcServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    // Also when a test failed before its own close, so no thread leaks into the next test.
    servers.forEach(IpcServer::close);
    engine.close();
  }

  private IpcServer start(IpcServer.Builder builder) {
    IpcServer server = builder.build();
    servers.add(server);
    server.start();
    return server;
  }

  private IpcServer.Builder builder() {
    return IpcServer.builder(dir.resolve("s.sock"), engine.client);
  }

  @Test
  void clientsAreToldDrainedAndClosedThenTheFilesAreRemovedAndNoThreadIsLeft() throws Exception {
    IpcServer server = start(builder());
    WireClient v2 = WireClient.connectV2(server.socketPath());
    WireClient base = WireClient.connect(server.socketPath());
    v2.call(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
    base.call(new Request.IsRunning());
    assertThat(ipcThreads()).isNotEmpty();
    long last = server.lastEventSeq();

    server.close();

    List<Message> toV2 = v2.readUntilClosed();
    List<Event> events =
        v2.takeEvents().stream().collect(Collectors.toCollection(java.util.ArrayList::new));
    toV2.forEach(m -> events.add((Event) m));
    Event shuttingDown = events.get(events.size() - 1);
    assertThat(shuttingDown).isInstanceOf(Event.ShuttingDown.class);
    assertThat(shuttingDown.seq()).hasValue(last + 1);
    assertThat(base.readUntilClosed()).noneMatch(m -> m instanceof Event.ShuttingDown);

    assertThat(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(server.lockPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(ipcThreads()).isEmpty();
    assertThat(server.connectionCount()).isZero();
    // The engine is not the server's: it still runs.
    assertThat(engine.client.isRunning()).isTrue();

    server.close(); // idempotent
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    v2.close();
    base.close();
  }

  @Test
  void closeIsBoundedEvenWhenClientsDoNotReadOrWaitForTheEngine() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws InterruptedException {
            release.await();
          }

          @Override
          public void run(ServiceContext context) {}
        });
    IpcServer server = start(builder().drainTimeout(Duration.ofMillis(300)).outboundQueueLimit(8));
    ExecutorService pool = Executors.newCachedThreadPool();
    try (WireClient waiting = WireClient.connectV2(server.socketPath());
        WireClient stuck = WireClient.connect(server.socketPath());
        WireClient pipelined = WireClient.connectV2(server.socketPath())) {
      // A client whose start waits for an init that never finishes by itself.
      waiting.send(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
      // A client that sends and never reads, until the server stops reading from it.
      Future<?> flood =
          pool.submit(
              () -> {
                for (int i = 0; i < 5000; i++) {
                  stuck.send(new Request.GetLifecycleStatus());
                }
                return null;
              });
      // A version-2 client with an answer still pending (a stop waiting for the blocked run).
      await().atMost(Duration.ofSeconds(10)).until(engine.client::isRunning);
      pipelined.send(new Request.Stop(OptionalLong.of(1), OptionalLong.of(60_000)));
      pipelined.send(new Request.IsRunning().withId(2));
      assertThat(pipelined.readResponse().id()).hasValue(2);

      server.close();

      assertThat(ipcThreads()).isEmpty();
      assertThat(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
      List<Message> toWaiting = waiting.readUntilClosed();
      assertThat(toWaiting).noneMatch(m -> m instanceof Response);
      assertThat(toWaiting).last().isInstanceOf(Event.ShuttingDown.class);
      flood.cancel(true);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentClosesAllReturnAfterTheShutdown() throws Exception {
    IpcServer server = start(builder());
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> closes =
            List.of(
                pool.submit(server::close),
                pool.submit(server::close),
                pool.submit(server::close),
                pool.submit(server::close));
        for (Future<?> close : closes) {
          close.get();
          assertThat(Files.exists(server.lockPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(ipcThreads()).isEmpty();
      assertThat(client.readUntilClosed()).last().isInstanceOf(Event.ShuttingDown.class);
    }
  }

  @Test
  void closingAServerThatNeverStartedLeavesNothing() {
    IpcServer server = builder().build();
    server.close();
    assertThat(Files.exists(server.lockPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eventsAfterCloseGoNowhereAndDoNotFail() throws Exception {
    IpcServer server = start(builder());
    engine.client.start(StartConfig.defaults());
    ServiceContext context = engine.awaitRunning();
    server.close();
    context.events().emit("late", Map.of("n", 1));
    assertThat(ipcThreads()).isEmpty();
  }

  private static List<String> ipcThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("bgservice-ipc-"))
        .collect(Collectors.toList());
  }
}
