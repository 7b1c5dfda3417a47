package dev.bgservice.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.service.EventEmitter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event stream: a service emits events ({@code ctx.events().emit("bench", {"n": n})}) and the
 * real sidecar ({@link InProcessSidecar}) delivers each to {@code clients} connected {@link
 * PersistentIpcClient}s. The score is events per second that reached <em>every</em> client: each
 * invocation emits a batch of {@value #BATCH} events and waits until every client has got all of
 * them. Every client checks it gets each {@code n} once and in order, with no resync and no lost
 * connection; any loss fails the iteration with an exception instead of producing a figure.
 *
 * <p>Batches keep the stream within the server's default per-client queue (4096 frames), so the
 * figure is the rate at which the product delivers with zero loss, not the rate at which a
 * producer can outrun its readers. Listeners run on the client's reader thread ({@link
 * Executors#sameThread()}), so the figure is the transport's, not an app's event thread's.
 *
 * <p>Baseline, in the same JVM and run, with the same number of clients: the same batches of
 * frames of the same size, written raw by one thread to {@code clients} bare Unix-domain-socket
 * connections, each read and counted by its own thread (no JSON, no queues).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventFanOutBenchmark.BATCH)
@Fork(1)
// More warm-up than the others: the path crosses several threads, and on two cores it takes the
// JIT about four seconds to settle.
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventFanOutBenchmark {

  /** Events per invocation, well below the server's default per-client queue of 4096 frames. */
  static final int BATCH = 1000;

  /** How long a batch may take to reach every client before it counts as lost. */
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

  private static final String EVENT = "bench";

  /** How many clients receive the stream; shared by the product and the baseline. */
  @State(Scope.Benchmark)
  public static class Clients {
    /** Number of connected clients. */
    @Param({"1", "16"})
    public int clients;
  }

  /** The product: a sidecar whose service emits, and connected persistent clients. */
  @State(Scope.Benchmark)
  public static class ThroughSidecar {
    private Workspace workspace;
    private InProcessSidecar sidecar;
    private EventEmitter events;
    private final List<PersistentIpcClient> connected = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<DeliveryCount> counts = new ArrayList<>();
    private long emitted;

    /** Starts the sidecar and its service, connects the clients and subscribes a counter each. */
    @Setup(Level.Trial)
    public void setUp(Clients size) throws IOException, InterruptedException {
      workspace = Workspace.create();
      sidecar = InProcessSidecar.start(workspace);
      for (int i = 1; i <= size.clients; i++) {
        PersistentIpcClient client = sidecar.connect();
        connected.add(client);
        DeliveryCount count = new DeliveryCount("client " + i + " of " + size.clients);
        counts.add(count);
        subscriptions.add(client.subscribe(new Receiver(count), Executors.sameThread()));
      }
      events = sidecar.startService().events();
    }

    /** Emits one batch and waits until every client has it. */
    void emitBatch() {
      for (int i = 0; i < BATCH; i++) {
        events.emit(EVENT, Map.of("n", ++emitted));
      }
      for (DeliveryCount count : counts) {
        count.await(emitted, BATCH_TIMEOUT);
      }
    }

    /** Unsubscribes and closes the clients, shuts the sidecar down, deletes the workspace. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      subscriptions.forEach(Subscription::close);
      List<AutoCloseable> resources = new ArrayList<>(connected);
      resources.add(sidecar);
      resources.add(workspace);
      Closer.closeAll(resources.toArray(AutoCloseable[]::new));
    }
  }

  /** Counts the benchmark's events for one client and notices any loss. */
  private static final class Receiver implements ServiceListener {
    private final DeliveryCount count;

    Receiver(DeliveryCount count) {
      this.count = count;
    }

    @Override
    public void onEvent(ServiceEvent event) {
      if (event instanceof ServiceEvent.Custom custom && custom.name().equals(EVENT)) {
        long n = custom.payload().path("n").asLong();
        long expected = count.received() + 1;
        if (n != expected) {
          count.lost("got event n=" + n + " where n=" + expected + " was due");
        }
        count.delivered();
      } else if (event instanceof ServiceEvent.Resync) {
        count.lost("got a resync: the sidecar could not replay what this client missed");
      }
    }

    @Override
    public void onConnection(ConnectionEvent event) {
      if (event.state() != ConnectionState.CONNECTED) {
        count.lost("the connection became " + event.state().wireName());
      }
    }
  }

  /** The baseline: bare Unix-domain-socket connections, one writer, one reader thread each. */
  @State(Scope.Benchmark)
  public static class RawStream {
    private Workspace workspace;
    private Path socket;
    private ServerSocketChannel server;
    private ByteBuffer frame;
    private final List<SocketChannel> writers = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<DeliveryCount> counts = new ArrayList<>();
    private long written;

    /** Connects the raw clients and starts their reader threads. */
    @Setup(Level.Trial)
    public void setUp(Clients size) throws IOException {
      workspace = Workspace.create();
      socket = workspace.resolve("raw.sock");
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      frame = typicalFrame();
      for (int i = 1; i <= size.clients; i++) {
        SocketChannel reading = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        writers.add(server.accept());
        DeliveryCount count = new DeliveryCount("raw client " + i + " of " + size.clients);
        counts.add(count);
        Thread reader = new Thread(() -> readAll(reading, count), "bench-raw-reader-" + i);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
    }

    /**
     * A frame the size of the sidecar's: a numbered {@code service} event as the benchmark
     * emits them, with numbers as large as a trial reaches.
     */
    private static ByteBuffer typicalFrame() {
      return MessageCodec.encodeFrame(
          new Event.Custom(
              OptionalLong.of(1_000_000),
              OptionalLong.of(System.currentTimeMillis()),
              EVENT,
              JsonNodeFactory.instance.objectNode().put("n", 1_000_000)));
    }

    private static void readAll(SocketChannel channel, DeliveryCount count) {
      ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
      try (channel) {
        while (RawFrames.read(channel, in) >= 0) {
          count.delivered();
        }
      } catch (IOException e) {
        count.lost("the raw connection failed: " + e.getMessage());
      }
    }

    /** Writes one batch to every connection and waits until every reader has it. */
    void writeBatch() throws IOException {
      for (int i = 0; i < BATCH; i++) {
        for (SocketChannel writer : writers) {
          RawFrames.write(writer, frame);
        }
      }
      written += BATCH;
      for (DeliveryCount count : counts) {
        count.await(written, BATCH_TIMEOUT);
      }
    }

    /** Closes the connections (ending the readers) and deletes the workspace. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      List<AutoCloseable> resources = new ArrayList<>(writers);
      resources.add(server);
      resources.add(() -> Files.deleteIfExists(socket));
      Closer.closeAll(resources.toArray(AutoCloseable[]::new));
      for (Thread reader : readers) {
        reader.join(BATCH_TIMEOUT.toMillis());
      }
      workspace.close();
    }
  }

  /** The product: one batch of service events delivered to every client. */
  @Benchmark
  public void events(ThroughSidecar sidecar) {
    sidecar.emitBatch();
  }

  /** Baseline: one batch of raw frames of the same size delivered to every raw client. */
  @Benchmark
  public void baselineRawStream(RawStream raw) throws IOException {
    raw.writeBatch();
  }
}
