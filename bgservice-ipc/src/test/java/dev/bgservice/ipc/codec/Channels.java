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
    return new Source(data, chunk);
  }

  /** A writable channel that accepts at most {@code chunk} bytes per write. */
  static Sink sink(int chunk) {
    return new Sink(chunk);
  }

  static final class Source implements ReadableByteChannel {
    private final byte[] data;
    private final int chunk;
    private int position;
    private int reads;

    Source(byte[] data, int chunk) {
      this.data = data;
      this.chunk = chunk;
    }

    @Override
    public int read(ByteBuffer dst) {
      reads++;
      if (position == data.length) {
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
