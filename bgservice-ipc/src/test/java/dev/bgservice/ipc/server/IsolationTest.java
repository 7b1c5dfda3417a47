package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once; no client delays another or the service. */
@Timeout(60)
class IsolationTest {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  private void startServer(IpcServer.Builder options) {
    server = options.build();
    server.start();
  }

  private IpcServer.Builder server() {
    engine = new TestEngine(dir.resolve("data"));
    return IpcServer.builder(dir.resolve("s.sock"), engine.client);
  }

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void sixtyFourClientsEachPipelineAThousandRequestsAndGetEveryAnswerUnderItsId() throws Exception {
    startServer(server());
    int clients = 64;
    int requests = 1000;
    int batch = 100;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      results.add(
          pool.submit(
              () -> {
                try (WireClient wire = WireClient.connectV2(server.socketPath())) {
                  go.await();
                  int answered = 0;
                  for (int first = 0; first < requests; first += batch) {
                    Set<Long> pending = new HashSet<>();
                    for (int i = first; i < first + batch; i++) {
                      long id = client * 1_000_000L + i;
                      wire.send(request(i).withId(id));
                      pending.add(id);
                    }
                    for (int i = 0; i < batch; i++) {
                      Response answer = wire.readResponse();
                      long id = answer.id().orElseThrow();
                      assertThat(pending.remove(id))
                          .as("answer to an id in flight: %s", id)
                          .isTrue();
                      assertThat(answer.ok()).isTrue();
                      assertAnswerFits((int) (id % 1_000_000L), answer);
                      answered++;
                    }
                    assertThat(pending).isEmpty();
                  }
                  return answered;
                }
              }));
    }
    go.countDown();
    for (Future<Integer> result : results) {
      assertThat(result.get()).isEqualTo(requests);
    }
  }

  private static Request request(int i) {
    switch (i % 4) {
      case 0:
        return new Request.IsRunning();
      case 1:
        return new Request.GetState();
      case 2:
        return new Request.GetLifecycleStatus();
      default:
        return new Request.GetDesiredState();
    }
  }

  private static void assertAnswerFits(int i, Response answer) {
    switch (i % 4) {
      case 0:
        assertThat(answer.data().orElseThrow().get("running").booleanValue()).isFalse();
        break;
      case 1:
        assertThat(answer.data().orElseThrow().get("state").textValue()).isEqualTo("idle");
        break;
      case 2:
        assertThat(answer.data().orElseThrow().get("capabilities").isObject()).isTrue();
        break;
      default:
        assertThat(answer.data()).isEmpty();
    }
  }

  @Test
  void aClientStalledInTheMiddleOfAFrameDelaysNobody() throws Exception {
    startServer(server());
    try (WireClient stalled = WireClient.connectV2(server.socketPath())) {
      byte[] json =
          "{\"kind\":\"request\",\"type\":\"isRunning\",\"id\":77}"
              .getBytes(StandardCharsets.UTF_8);
      int length = json.length + 20; // padded with spaces, which JSON allows
      ByteBuffer frame = ByteBuffer.allocate(4 + length).putInt(length).put(json);
      while (frame.hasRemaining()) {
        frame.put((byte) ' ');
      }
      byte[] bytes = frame.array();
      stalled.sendRaw(java.util.Arrays.copyOf(bytes, 10)); // header and 6 payload bytes

      List<Future<Integer>> others = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        others.add(pool.submit(busyClient(200)));
      }
      try (WireClient driver = WireClient.connectV2(server.socketPath())) {
        assertThat(
                driver
                    .call(
                        new Request.Start(
                            java.util.OptionalLong.of(1), StartConfig.defaults(), true))
                    .ok())
            .isTrue();
        ServiceContext context = engine.awaitRunning();
        context.events().emit("tick", Map.of("n", 1));
        assertThat(
                driver
                    .call(
                        new Request.Stop(
                            java.util.OptionalLong.of(2), java.util.OptionalLong.of(5000)))
                    .ok())
            .isTrue();
      }
      for (Future<Integer> other : others) {
        assertThat(other.get()).isEqualTo(200);
      }

      // The stalled client was only waiting: its request completes and is answered.
      stalled.sendRaw(java.util.Arrays.copyOfRange(bytes, 10, bytes.length));
      Response answer = stalled.readResponse();
      assertThat(answer.id()).hasValue(77);
      assertThat(answer.data().orElseThrow().get("running").booleanValue()).isFalse();
    }
  }

  private Callable<Integer> busyClient(int requests) {
    return () -> {
      try (WireClient wire = WireClient.connectV2(server.socketPath())) {
        for (int i = 0; i < requests; i++) {
          Response answer = wire.call(new Request.GetState().withId(i));
          assertThat(answer.id()).hasValue(i);
        }
        return requests;
      }
    };
  }

  @Test
  void aVersion2ClientThatDoesNotReadGetsOverflowAndIsDisconnectedWhileOthersKeepReceiving()
      throws Exception {
    // The drain timeout is long so that the slow client surely reads its overflow event.
    startServer(server().outboundQueueLimit(64).drainTimeout(Duration.ofSeconds(30)));
    int total = 1500;
    String padding = "x".repeat(1000);
    try (WireClient slow = WireClient.connectV2(server.socketPath());
        WireClient healthy = WireClient.connectV2(server.socketPath())) {
      healthy.call(new Request.Start(java.util.OptionalLong.of(1), StartConfig.defaults(), true));
      ServiceContext context = engine.awaitRunning();
      healthy.takeEvents();

      // The healthy client reads everything; the emitter never runs more than 16 events ahead of
      // it, so only the slow client can overflow.
      Pacer pacer = new Pacer(16);
      Future<List<Long>> received =
          pool.submit(
              () -> {
                List<Long> seen = new ArrayList<>();
                while (seen.size() < total) {
                  Event event = healthy.readEvent();
                  if (event instanceof Event.Custom) {
                    seen.add(((Event.Custom) event).payload().get("n").longValue());
                    pacer.seen(seen.size());
                  }
                }
                return seen;
              });
      for (int n = 1; n <= total; n++) {
        pacer.awaitRoomFor(n);
        context.events().emit("bulk", Map.of("n", n, "pad", padding));
      }
      List<Long> seen = received.get();
      assertThat(seen).hasSize(total).isSorted().doesNotHaveDuplicates();

      // Now the slow client reads: a gapless prefix of the stream, an overflow naming its last
      // event, then the end of the connection.
      List<Message> messages = slow.readUntilClosed();
      assertThat(messages).isNotEmpty();
      Message lastMessage = messages.get(messages.size() - 1);
      assertThat(lastMessage).isInstanceOf(Event.Overflow.class);
      List<Long> seqs = new ArrayList<>();
      for (Message message : messages.subList(0, messages.size() - 1)) {
        seqs.add(((Event) message).seq().getAsLong());
      }
      assertThat(seqs).isNotEmpty();
      for (int i = 1; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
      }
      assertThat(seqs.size()).isLessThan(total);
      assertThat(((Event) lastMessage).seq()).hasValue(seqs.get(seqs.size() - 1));

      // The healthy client is still served.
      assertThat(healthy.call(new Request.IsRunning().withId(5)).ok()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);
    }
  }

  @Test
  void aBaseClientThatDoesNotReadIsCutOffWithinTheDrainTimeout() throws Exception {
    startServer(server().outboundQueueLimit(16).drainTimeout(Duration.ofMillis(200)));
    try (WireClient slow = WireClient.connect(server.socketPath());
        WireClient healthy = WireClient.connectV2(server.socketPath())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 2);
      // Fill the slow client's socket with answers it does not read. Its sends block as soon as
      // the server stops reading from it, hence the separate thread.
      Future<?> sender =
          pool.submit(
              () -> {
                for (int i = 0; i < 5000; i++) {
                  slow.send("{\"kind\":\"request\",\"type\":\"getLifecycleStatus\"}");
                }
                return null;
              });
      // Base events while its queue holds 16 frames at most: once its socket is full, 17 more
      // overflow it. A healthy client reads every burst of lifecycle events well within 16.
      for (int cycle = 1; server.connectionCount() == 2; cycle++) {
        assertThat(cycle)
            .as("start/stop cycles before the slow client was cut off")
            .isLessThan(1000);
        assertThat(
                healthy
                    .call(
                        new Request.Start(
                            java.util.OptionalLong.of(1), StartConfig.defaults(), true))
                    .ok())
            .isTrue();
        assertThat(
                healthy
                    .call(
                        new Request.Stop(
                            java.util.OptionalLong.of(2), java.util.OptionalLong.of(5000)))
                    .ok())
            .isTrue();
      }
      assertThat(server.connectionCount()).isEqualTo(1);

      List<Message> messages = slow.readUntilClosed();
      assertThat(messages).isNotEmpty().noneMatch(m -> m instanceof Event.Overflow);
      assertThat(healthy.call(new Request.IsRunning().withId(3)).ok()).isTrue();
      sender.cancel(true);
    }
  }

  /** Lets an emitter run at most {@code window} events ahead of a reader. */
  private static final class Pacer {
    private final int window;
    private long seen;

    Pacer(int window) {
      this.window = window;
    }

    synchronized void seen(long count) {
      seen = count;
      notifyAll();
    }

    synchronized void awaitRoomFor(long n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (n - seen > window) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the healthy client stopped receiving at " + seen);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }
}
