package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.client.InProcessServiceClient;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way frames reach a client: the writer sends whatever is queued in batches, and the reader
 * writes an answer itself when nothing is queued; no frame is lost, cut or reordered either way.
 */
@Timeout(60)
class WritePathTest {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  private void startServer(int queueLimit) {
    startServer(
        IpcServer.builder(dir.resolve("s.sock"), engineClient()).outboundQueueLimit(queueLimit));
  }

  private void startServer(IpcServer.Builder options) {
    server = options.build();
    server.start();
  }

  private InProcessServiceClient engineClient() {
    engine = new TestEngine(dir.resolve("data"));
    return engine.client;
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
  void framesOfEverySizeQueuedWhileTheClientDoesNotReadAllArriveIntactAndInOrder()
      throws Exception {
    startServer(10_000);
    int total = 1500;
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      ServiceContext service = startService(client);
      long firstSeq = server.lastEventSeq() + 1;

      // The client reads nothing meanwhile: its socket fills, and the rest waits in the queue
      // until the writer can send it, many frames per write. Some frames exceed a whole batch.
      for (int n = 1; n <= total; n++) {
        service.events().emit("sized", Map.of("n", n, "pad", "p".repeat(padding(n))));
      }
      Response answer = client.call(new Request.IsRunning().withId(7));

      List<Event> events = client.takeEvents();
      assertThat(answer.id()).hasValue(7);
      assertThat(events).hasSize(total);
      for (int i = 0; i < total; i++) {
        Event.Custom event = (Event.Custom) events.get(i);
        int n = i + 1;
        assertThat(event.seq()).hasValue(firstSeq + i);
        assertThat(event.payload().get("n").intValue()).isEqualTo(n);
        assertThat(event.payload().get("pad").textValue()).hasSize(padding(n));
      }
    }
  }

  /** Payload padding from 0 bytes to well above one write batch. */
  private static int padding(int n) {
    return n % 100 == 0 ? Connection.BATCH_BYTES + 1000 * (n / 100) : (n * 37) % 3000;
  }

  @Test
  void anAnswerNeverOvertakesAnEventPublishedBeforeItsRequestWasSent() throws Exception {
    startServer(10_000);
    int rounds = 2000;
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      ServiceContext service = startService(client);
      Future<List<Message>> received =
          pool.submit(
              () -> {
                List<Message> messages = new ArrayList<>();
                int answers = 0;
                while (answers < rounds) {
                  Message message = client.read();
                  messages.add(message);
                  if (message instanceof Response) {
                    answers++;
                  }
                }
                return messages;
              });

      // Each event is queued for the client before emit returns (the server delivers on the
      // emitting thread), so it is queued before the request that follows it is even sent. Sizes
      // vary so that the answers meet an idle writer as well as one busy with a batch.
      for (int n = 1; n <= rounds; n++) {
        service.events().emit("step", Map.of("n", n, "pad", "p".repeat((n * 131) % 2000)));
        client.send(new Request.IsRunning().withId(n));
      }

      List<Message> messages = received.get();
      Map<Long, Integer> answerAt = new HashMap<>();
      Map<Long, Integer> eventAt = new HashMap<>();
      for (int i = 0; i < messages.size(); i++) {
        Message message = messages.get(i);
        if (message instanceof Response) {
          Response response = (Response) message;
          assertThat(response.ok()).isTrue();
          assertThat(answerAt.put(response.id().orElseThrow(), i)).isNull();
        } else if (message instanceof Event.Custom) {
          long n = ((Event.Custom) message).payload().get("n").longValue();
          assertThat(eventAt.put(n, i)).isNull();
        }
      }
      assertThat(answerAt).hasSize(rounds);
      for (long n = 1; n <= rounds; n++) {
        assertThat(eventAt).containsKey(n);
        assertThat(answerAt.get(n))
            .as("answer %s comes after the event emitted before its request", n)
            .isGreaterThan(eventAt.get(n));
      }
    }
  }

  @Test
  void aBaseClientGetsItsAnswersInRequestOrderWhileEventsFlowToOthers() throws Exception {
    startServer(10_000);
    int requests = 1000;
    try (WireClient base = WireClient.connect(server.socketPath());
        WireClient busy = WireClient.connectV2(server.socketPath())) {
      ServiceContext service = startService(busy);
      Future<Integer> emitted =
          pool.submit(
              () -> {
                for (int n = 1; n <= 2000; n++) {
                  service.events().emit("noise", Map.of("n", n));
                }
                return 2000;
              });
      Future<Integer> drained =
          pool.submit(
              () -> {
                int seen = 0;
                while (seen < 2000) {
                  if (busy.readEvent() instanceof Event.Custom) {
                    seen++;
                  }
                }
                return seen;
              });

      // Pipelined without ids: part A answers strictly in order, so each answer's kind must match.
      for (int i = 0; i < requests; i++) {
        base.send(i % 2 == 0 ? "{\"kind\":\"request\",\"type\":\"isRunning\"}"
            : "{\"kind\":\"request\",\"type\":\"getState\"}");
      }
      for (int i = 0; i < requests; i++) {
        Response answer = base.readResponse();
        assertThat(answer.id()).isEmpty();
        if (i % 2 == 0) {
          assertThat(answer.data().orElseThrow().get("running").booleanValue()).isTrue();
        } else {
          assertThat(answer.data().orElseThrow().get("state").textValue()).isEqualTo("running");
        }
      }
      assertThat(emitted.get()).isEqualTo(2000);
      assertThat(drained.get()).isEqualTo(2000);
    }
  }

  @Test
  void aClientThatDoesNotReadOverflowsOnceItsQueuedBytesReachTheByteLimit() throws Exception {
    // Far more frames than it will ever queue: only the byte limit can overflow it.
    startServer(
        IpcServer.builder(dir.resolve("s.sock"), engineClient())
            .outboundQueueLimit(1_000_000)
            .outboundQueueBytes(256 * 1024)
            .drainTimeout(Duration.ofSeconds(30)));
    int total = 4000; // 8 MB: more than the socket and the byte limit together
    try (WireClient slow = WireClient.connectV2(server.socketPath())) {
      ServiceContext service = startService(slow);
      long before = server.lastEventSeq();
      String padding = "b".repeat(2000);
      for (int n = 1; n <= total; n++) {
        service.events().emit("big", Map.of("n", n, "pad", padding));
      }

      // A gapless prefix (possibly empty: the emitter may fill the queue before the writer runs),
      // then an overflow naming the last event the client got.
      List<Message> messages = slow.readUntilClosed();
      assertThat(messages).isNotEmpty();
      assertThat(messages.get(messages.size() - 1)).isInstanceOf(Event.Overflow.class);
      List<Message> events = messages.subList(0, messages.size() - 1);
      assertThat(events.size()).isLessThan(total);
      for (int i = 0; i < events.size(); i++) {
        assertThat(((Event.Custom) events.get(i)).payload().get("n").intValue()).isEqualTo(i + 1);
      }
      Event.Overflow overflow = (Event.Overflow) messages.get(messages.size() - 1);
      assertThat(overflow.seq()).hasValue(before + events.size());
    }
  }

  /** Starts the engine's service through {@code client} and drops the events read so far. */
  private ServiceContext startService(WireClient client) throws Exception {
    Response started =
        client.call(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
    assertThat(started.ok()).isTrue();
    ServiceContext service = engine.awaitRunning();
    client.takeEvents();
    return service;
  }
}
