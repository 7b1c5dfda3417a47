package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

  @Test
  void framesThatFitAreWrittenWithOneWritePerFlush() throws Exception {
    Sink sink = new Sink(Integer.MAX_VALUE);
    BatchWriter writer = new BatchWriter(sink, 1024);
    List<ByteBuffer> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(frame(i, 10));
    }

    for (ByteBuffer frame : frames) {
      writer.add(frame);
    }
    assertThat(sink.writes).as("nothing written before the flush").isZero();
    writer.flush();

    assertThat(sink.writes).isEqualTo(1);
    assertThat(sink.bytes()).isEqualTo(concat(frames));
  }

  @Test
  void partialWritesLargeFramesAndAFullBufferKeepEveryByteInOrder() throws Exception {
    Sink sink = new Sink(7); // the channel takes at most 7 bytes per call
    BatchWriter writer = new BatchWriter(sink, 64);
    List<ByteBuffer> frames = new ArrayList<>();
    int[] sizes = {3, 60, 1, 200, 64, 63, 5, 1000, 2};
    for (int i = 0; i < sizes.length; i++) {
      frames.add(frame(i, sizes[i]));
    }

    for (ByteBuffer frame : frames) {
      writer.add(frame);
    }
    writer.flush();
    writer.flush(); // nothing left: writes nothing

    assertThat(sink.bytes()).isEqualTo(concat(frames));
  }

  @Test
  void sharedFramesAreLeftUnchangedAndCanBeWrittenAgain() throws Exception {
    ByteBuffer shared = frame(9, 100).asReadOnlyBuffer();
    ByteBuffer large = frame(8, 500).asReadOnlyBuffer();
    Sink sink = new Sink(Integer.MAX_VALUE);
    BatchWriter writer = new BatchWriter(sink, 256);

    writer.add(shared);
    writer.add(large);
    writer.add(shared);
    writer.flush();

    assertThat(shared.position()).isZero();
    assertThat(shared.remaining()).isEqualTo(100);
    assertThat(large.remaining()).isEqualTo(500);
    assertThat(sink.bytes()).isEqualTo(concat(List.of(shared, large, shared)));
  }

  /** A frame-like buffer of {@code size} bytes whose content depends on {@code seed}. */
  private static ByteBuffer frame(int seed, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return ByteBuffer.wrap(bytes);
  }

  private static byte[] concat(List<ByteBuffer> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer frame : frames) {
      ByteBuffer copy = frame.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** A channel that keeps what is written, taking at most {@code chunk} bytes per call. */
  private static final class Sink implements WritableByteChannel {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final int chunk;
    int writes;

    Sink(int chunk) {
      this.chunk = chunk;
    }

    @Override
    public int write(ByteBuffer src) {
      writes++;
      int n = Math.min(chunk, src.remaining());
      byte[] bytes = new byte[n];
      src.get(bytes);
      written.writeBytes(bytes);
      return n;
    }

    byte[] bytes() {
      return written.toByteArray();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
