package dev.bgservice.ipc.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Writes many encoded frames to a blocking channel with few system calls: consecutive frames are
 * copied into one reused direct buffer, which is written whole on {@link #flush()} or when the next
 * frame does not fit. A frame larger than the buffer is written on its own. The frames themselves
 * are never changed, so one frame can be shared by many connections.
 *
 * <p>Not thread-safe: one connection's writer thread uses it.
 */
final class BatchWriter {

  private final WritableByteChannel channel;
  private final int capacity;
  // Allocated at the first frame: a connection that is never written to costs no direct memory.
  private ByteBuffer buffer;

  /** A writer to {@code channel}, which must be in blocking mode, buffering up to {@code capacity}. */
  BatchWriter(WritableByteChannel channel, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.channel = Objects.requireNonNull(channel, "channel");
    this.capacity = capacity;
  }

  /**
   * Adds the bytes of {@code frame} from its position to its limit, writing what is buffered first
   * if they do not fit.
   *
   * @throws IOException if the channel fails
   */
  void add(ByteBuffer frame) throws IOException {
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(capacity);
    }
    if (frame.remaining() > buffer.remaining()) {
      flush();
      if (frame.remaining() > capacity) {
        writeFully(frame.duplicate());
        return;
      }
    }
    buffer.put(frame.duplicate());
  }

  /**
   * Writes everything buffered.
   *
   * @throws IOException if the channel fails
   */
  void flush() throws IOException {
    if (buffer == null || buffer.position() == 0) {
      return;
    }
    buffer.flip();
    try {
      writeFully(buffer);
    } finally {
      buffer.clear();
    }
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) == 0) {
        // A blocking channel always makes progress; looping here would spin.
        throw new IllegalStateException("BatchWriter needs a channel in blocking mode");
      }
    }
  }
}
