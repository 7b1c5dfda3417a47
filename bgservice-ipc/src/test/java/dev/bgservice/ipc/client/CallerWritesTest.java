package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.StartOptions;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers write their own requests when the socket is free: the wire order stays the order the
 * calls were registered in (strict matching depends on it), a write the sidecar never takes ends
 * at the call's deadline, and an interrupted caller does not cost the connection.
 */
class CallerWritesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** A {@link ConnectionPair} whose sidecar end the tests script. */
  private final class Pair {
    final Connection connection;
    final SocketChannel peer;

    Pair() throws IOException {
      ConnectionPair pair =
          ConnectionPair.open(dir, "caller-writes-test", ConnectionPair.ignoring());
      toClose.add(pair);
      connection = pair.connection;
      peer = pair.peer;
    }

    /**
     * Answers every start with its own params, in the order the requests arrive, once {@code
     * gate} opens.
     */
    Thread answerEachWithItsParams(CountDownLatch gate) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  gate.await();
                  FrameReader reader = new FrameReader(peer);
                  FrameWriter writer = new FrameWriter(peer);
                  Optional<byte[]> frame;
                  while ((frame = reader.readFrame()).isPresent()) {
                    Request.Start start = (Request.Start) MessageCodec.decodeRequest(frame.get());
                    writer.write(Response.success(start.config().params()));
                  }
                } catch (IOException | InterruptedException e) {
                  // the test closed the connection
                }
              },
              "test-peer");
      thread.setDaemon(true);
      thread.start();
      return thread;
    }
  }

  private static PendingCall startCall(String tag, int padding) {
    ObjectNode params = JSON.objectNode().put("tag", tag).put("padding", "x".repeat(padding));
    return new PendingCall(new Request.Start(StartConfig.withParams(params)));
  }

  private static String tagOf(PendingCall call) throws Exception {
    JsonNode data = call.response().get(WAIT.toSeconds(), TimeUnit.SECONDS).data().orElseThrow();
    return data.get("tag").asText();
  }

  @Test
  void framesQueuedBehindACallerStillWritingGoOutAfterItsFrame() throws Exception {
    Pair pair = new Pair();
    CountDownLatch gate = new CountDownLatch(1);
    pair.answerEachWithItsParams(gate);
    // Larger than the socket buffers: the caller blocks in its write until the peer reads.
    PendingCall big = startCall("big", 4 * 1024 * 1024);
    Thread bigCaller = new Thread(() -> pair.connection.send(big), "test-big-caller");
    bigCaller.start();
    await().atMost(WAIT).until(pair.connection::callerIsWriting);

    List<PendingCall> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      PendingCall call = startCall("small-" + i, 10);
      assertThat(pair.connection.send(call)).isTrue(); // queued: it cannot block here
      queued.add(call);
    }
    gate.countDown();

    assertThat(tagOf(big)).isEqualTo("big");
    for (int i = 0; i < queued.size(); i++) {
      assertThat(tagOf(queued.get(i))).isEqualTo("small-" + i);
    }
    bigCaller.join(WAIT.toMillis());
    assertThat(bigCaller.isAlive()).isFalse();
    assertThat(pair.connection.isClosed()).isFalse();
  }

  @Test
  void concurrentCallersEachGetTheirOwnAnswerInStrictOrder() throws Exception {
    Pair pair = new Pair();
    pair.answerEachWithItsParams(new CountDownLatch(0));
    int threads = 8;
    int bursts = 50;
    int perBurst = 10;
    List<String> mismatches = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int caller = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int b = 0; b < bursts; b++) {
                    List<PendingCall> calls = new ArrayList<>();
                    for (int i = 0; i < perBurst; i++) {
                      // Sizes vary, so that some writes take longer and others queue behind them.
                      PendingCall call =
                          startCall(caller + "/" + b + "/" + i, (i * 997 + caller * 131) % 20_000);
                      if (!pair.connection.send(call)) {
                        mismatches.add("not sent: " + call);
                      }
                      calls.add(call);
                    }
                    for (int i = 0; i < perBurst; i++) {
                      String expected = caller + "/" + b + "/" + i;
                      String got = tagOf(calls.get(i));
                      if (!got.equals(expected)) {
                        mismatches.add(expected + " got the answer of " + got);
                      }
                      answered.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  mismatches.add(e.toString());
                }
              },
              "test-caller-" + t);
      callers.add(thread);
      thread.start();
    }
    for (Thread thread : callers) {
      thread.join(WAIT.toMillis());
      assertThat(thread.isAlive()).as("caller finished").isFalse();
    }

    assertThat(mismatches).isEmpty();
    assertThat(answered).hasValue(threads * bursts * perBurst);
    assertThat(pair.connection.isClosed()).isFalse();
  }

  @Test
  void aCallerBlockedByASidecarThatDoesNotReadIsReleasedByTheDeadline() throws Exception {
    Path socket = dir.resolve("deaf.sock");
    DeafSidecar sidecar = new DeafSidecar(socket);
    toClose.add(sidecar);
    PersistentIpcClient client =
        PersistentIpcClient.builder(socket)
            .callTimeout(Duration.ofMillis(500))
            .reconnectPolicy(PersistentIpcClientTest.FAST)
            .build();
    toClose.add(client);
    assertThat(client.waitForConnected(WAIT)).isTrue();
    ObjectNode params = JSON.objectNode().put("padding", "x".repeat(4 * 1024 * 1024));

    CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> started.complete(
                    client.startAsync(StartConfig.withParams(params), StartOptions.DEFAULT)),
            "test-blocked-caller");
    caller.start();
    caller.join(WAIT.toMillis());

    assertThat(caller.isAlive()).as("caller still blocked").isFalse();
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> started.get().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(failure.getCause()).isInstanceOf(ServiceTimeoutException.class);
    // The connection was given up and a new one made.
    await().atMost(WAIT).until(() -> sidecar.accepted() >= 2);
  }

  @Test
  void anInterruptedCallerLeavesTheWritingToTheWriterThreadAndKeepsTheConnection()
      throws Exception {
    Path socket = dir.resolve("svc.sock");
    TestSidecar sidecar = TestSidecar.start(socket, TestSidecar.Dialect.V2);
    toClose.add(sidecar);
    PersistentIpcClient client =
        PersistentIpcClient.builder(socket).reconnectPolicy(PersistentIpcClientTest.FAST).build();
    toClose.add(client);
    assertThat(client.waitForConnected(WAIT)).isTrue();

    CompletableFuture<Boolean> running;
    boolean stillInterrupted;
    Thread.currentThread().interrupt();
    try {
      running = client.isRunningAsync();
    } finally {
      stillInterrupted = Thread.interrupted(); // clears the flag for the rest of the test
    }

    assertThat(stillInterrupted).as("the caller's interrupt is kept").isTrue();
    assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
    assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(sidecar.acceptedConnections()).isEqualTo(1);
  }

  /** Answers hello (version 2), then never reads again, like a sidecar that hangs. */
  private static final class DeafSidecar implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    DeafSidecar(Path socket) throws IOException {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      acceptor = new Thread(this::accept, "test-deaf-sidecar");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int accepted() {
      return connections.size();
    }

    private void accept() {
      try {
        while (true) {
          SocketChannel channel = server.accept();
          connections.add(channel);
          Request hello =
              MessageCodec.decodeRequest(new FrameReader(channel).readFrame().orElseThrow());
          HelloData data =
              new HelloData(2, Optional.of("deaf"), OptionalLong.of(0), Optional.empty());
          new FrameWriter(channel).write(Response.success(data.toJson()).withId(hello.id()));
        }
      } catch (IOException e) {
        // closed by the test
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (SocketChannel channel : connections) {
        channel.close();
      }
      acceptor.join(WAIT.toMillis());
    }
  }
}
