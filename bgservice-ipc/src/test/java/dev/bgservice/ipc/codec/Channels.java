package dev.bgservice.ipc.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** In-memory channels that move at most a few bytes per call, to exercise partial I/O. */
final class Channels {
  private Channels() {}

  /** A readable channel over {@code data} that returns at most {@code chunk} bytes per read. */
  static Source source(byte[] data, int chunk) {
    return new Source(data, new int[] {chunk}, false);
  }

  /**
   * A readable channel over {@code data} whose reads return at most {@code chunks[i]} bytes for
   * the i-th read, and at most the last chunk for every later one.
   */
  static Source chunked(byte[] data, int... chunks) {
    return new Source(data, chunks.clone(), false);
  }

  /**
   * Like {@link #source}, but as a socket whose peer is still connected: a read beyond {@code
   * data} would block for ever, so it fails the test instead of returning the end of the stream.
   */
  static Source live(byte[] data, int chunk) {
    return new Source(data, new int[] {chunk}, true);
  }

  /**
   * Like {@link #source}, but as a non-blocking socket on which the bytes trickle in: every other
   * read finds nothing yet and returns 0.
   */
  static Source nonBlocking(byte[] data, int chunk) {
    Source source = new Source(data, new int[] {chunk}, false);
    source.idleEveryOtherRead = true;
    return source;
  }

  /** A writable channel that accepts at most {@code chunk} bytes per write. */
  static Sink sink(int chunk) {
    return new Sink(chunk);
  }

  static final class Source implements ReadableByteChannel {
    private final byte[] data;
    private final int[] chunks;
    private final boolean live;
    private int position;
    private int reads;
    private boolean idleEveryOtherRead;

    Source(byte[] data, int[] chunks, boolean live) {
      this.data = data;
      this.chunks = chunks;
      this.live = live;
    }

    @Override
    public int read(ByteBuffer dst) {
      int chunk = chunks[Math.min(reads, chunks.length - 1)];
      reads++;
      if (idleEveryOtherRead && reads % 2 == 1) {
        return 0;
      }
      if (position == data.length) {
        if (live) {
          throw new AssertionError("read past the data: on a socket this read would block");
        }
        return -1;
      }
      int n = Math.min(chunk, Math.min(dst.remaining(), data.length - position));
      dst.put(data, position, n);
      position += n;
      return n;
    }

    /** How many bytes have been consumed. */
    int consumed() {
      return position;
    }

    /** How many read calls were made. */
    int reads() {
      return reads;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  static final class Sink implements WritableByteChannel {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final int chunk;
    private int writes;

    Sink(int chunk) {
      this.chunk = chunk;
    }

    @Override
    public int write(ByteBuffer src) {
      writes++;
      int n = Math.min(chunk, src.remaining());
      for (int i = 0; i < n; i++) {
        written.write(src.get());
      }
      return n;
    }

    byte[] bytes() {
      return written.toByteArray();
    }

    int writes() {
      return writes;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
