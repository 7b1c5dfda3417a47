package dev.bgservice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.Frames;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec on one typical frame of each kind, in memory: {@link #encode} is what the
 * sidecar does per message sent ({@link MessageCodec} into a {@link FrameWriter}), {@link #decode}
 * what a peer does per frame received ({@link FrameReader}, then {@link MessageCodec#decode}).
 *
 * <p>Baselines, on the same JSON: plain Jackson {@code writeValueAsBytes} and {@code readTree} of
 * a tree (no message types, no validation), and copying the payload behind a 4-byte length
 * prefix (the framing alone). The codec's overhead is {@code encode} over {@code jacksonWrite +
 * lengthPrefixCopy}, and {@code decode} over {@code jacksonReadTree + lengthPrefixCopy}.
 *
 * <p>The frames ({@code message} parameter):
 *
 * <ul>
 *   <li>{@code request}: a version-2 {@code start} with id, config, params and {@code wait};
 *   <li>{@code response}: the answer to an {@code isRunning} call, with id;
 *   <li>{@code event}: a numbered service event {@code tick} with a small payload.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

  /** Which typical frame: {@code request}, {@code response} or {@code event}. */
  @Param({"request", "response", "event"})
  public String message;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Sink sink = new Sink();
  private final FrameWriter writer = new FrameWriter(sink);
  private Message value;
  private byte[] payload;
  private JsonNode tree;
  private FrameReader reader;

  /** Builds the frame under test and its JSON. */
  @Setup
  public void setUp() throws IOException {
    value = typical(message);
    payload = MessageCodec.encode(value);
    tree = mapper.readTree(payload);
    reader = new FrameReader(new Replay(Frames.frame(payload)));
  }

  static Message typical(String kind) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    switch (kind) {
      case "request":
        return new Request.Start(
            OptionalLong.of(17),
            new StartConfig("Syncing", "dataSync", json.objectNode().put("intervalMs", 1000)),
            true);
      case "response":
        return new Response(
            OptionalLong.of(17),
            true,
            Optional.of(json.objectNode().put("running", true)),
            Optional.empty(),
            Optional.empty());
      case "event":
        return new Event.Custom(
            OptionalLong.of(123_456),
            OptionalLong.of(1_700_000_000_000L),
            "tick",
            json.objectNode().put("count", 42));
      default:
        throw new IllegalArgumentException("unknown message kind: " + kind);
    }
  }

  /** The codec: encodes the message and writes its frame (to a channel that drops the bytes). */
  @Benchmark
  public long encode() throws IOException {
    writer.write(value);
    return sink.written;
  }

  /** The codec: reads one frame (from memory) and decodes it into a message. */
  @Benchmark
  public Message decode() throws IOException {
    return MessageCodec.decode(reader.readFrame().orElseThrow());
  }

  /** Baseline: Jackson writes the same JSON from a tree. */
  @Benchmark
  public byte[] baselineJacksonWrite() throws IOException {
    return mapper.writeValueAsBytes(tree);
  }

  /** Baseline: Jackson reads the same JSON into a tree. */
  @Benchmark
  public JsonNode baselineJacksonReadTree() throws IOException {
    return mapper.readTree(payload);
  }

  /** Baseline: the framing alone, a length prefix and a copy of the payload. */
  @Benchmark
  public ByteBuffer baselineLengthPrefixCopy() {
    ByteBuffer frame = ByteBuffer.allocate(Frames.HEADER_LENGTH + payload.length);
    return frame.putInt(payload.length).put(payload).flip();
  }

  /** A channel that takes every byte and keeps only the count. */
  private static final class Sink implements WritableByteChannel {
    long written;

    @Override
    public int write(ByteBuffer source) {
      int n = source.remaining();
      source.position(source.limit());
      written += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** A channel that yields the same frame over and over, as a peer sending it forever would. */
  private static final class Replay implements ReadableByteChannel {
    private final byte[] frame;
    private int position;

    Replay(ByteBuffer frame) {
      this.frame = new byte[frame.remaining()];
      frame.duplicate().get(this.frame);
    }

    @Override
    public int read(ByteBuffer target) {
      if (position == frame.length) {
        position = 0;
      }
      int n = Math.min(target.remaining(), frame.length - position);
      target.put(frame, position, n);
      position += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
