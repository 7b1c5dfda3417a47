package dev.bgservice.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request round trip: {@code isRunning} through the real {@link PersistentIpcClient} to the
 * real sidecar ({@link InProcessSidecar}: lifecycle manager, in-process engine, IPC server) over a
 * Unix domain socket, one connection, one call at a time. Sampled, so the report has the median
 * ({@code p0.50}) and the tail.
 *
 * <p>Baseline, in the same JVM and run: a bare Unix-domain-socket echo ({@link EchoPeer}) sending
 * a frame of the same size as the {@code isRunning} request and answering with one of the same
 * size as its response. The performance target is a median within 2x of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RoundTripBenchmark {

  // A trial makes hundreds of thousands of calls: request ids of about seven digits.
  private static final long TYPICAL_ID = 1_000_000;

  private Workspace workspace;
  private InProcessSidecar sidecar;
  private PersistentIpcClient client;
  private EchoPeer echo;
  private HandOffEcho handOffEcho;

  /** Starts the sidecar, connects the client, and starts the echo peer. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    workspace = Workspace.create();
    sidecar = InProcessSidecar.start(workspace);
    client = sidecar.connect();
    ByteBuffer request = MessageCodec.encodeFrame(new Request.IsRunning().withId(TYPICAL_ID));
    ByteBuffer answer =
        MessageCodec.encodeFrame(
            new Response(
                OptionalLong.of(TYPICAL_ID),
                true,
                Optional.of(JsonNodeFactory.instance.objectNode().put("running", false)),
                Optional.empty(),
                Optional.empty()));
    echo = EchoPeer.start(workspace.resolve("echo.sock"), request, answer);
    handOffEcho = HandOffEcho.start(workspace.resolve("handoff.sock"), request, answer);
  }

  /** Closes everything and deletes the workspace, socket files included. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Closer.closeAll(handOffEcho, echo, client, sidecar, workspace);
  }

  /** The product: one {@code isRunning} call, answered by the sidecar. */
  @Benchmark
  public boolean isRunning() {
    return client.isRunning();
  }

  /** Baseline: one frame of the request's size out, one of the response's size back, raw. */
  @Benchmark
  public int baselineEcho() throws IOException {
    return echo.roundTrip();
  }

  /**
   * Second baseline: the same raw frames through the product's thread hand-offs (a writer thread
   * on each side, a reader thread completing the caller's future), without anything else.
   */
  @Benchmark
  public int baselineEchoWithHandOffs() throws Exception {
    return handOffEcho.roundTrip();
  }
}
