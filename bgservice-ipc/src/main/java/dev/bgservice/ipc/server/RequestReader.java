package dev.bgservice.ipc.server;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a connection's request frames through a buffer: a request usually costs one read instead of
 * two (length, then payload), a burst of pipelined requests one read for many, and the connection
 * can tell whether the client has sent more requests already ({@link #hasBufferedBytes()}). Framing
 * is checked exactly as by {@link dev.bgservice.ipc.codec.FrameReader}: the length prefix is
 * checked before the payload is allocated, so a hostile prefix costs nothing.
 *
 * <p>Not thread-safe: one connection's reader thread uses it, and nothing else reads the channel.
 */
final class RequestReader {

  private final ReadableByteChannel channel;
  // Holds bytes received but not yet consumed, between position and limit.
  private final ByteBuffer buffer;

  /** A reader of {@code channel}, which must be in blocking mode, reading up to {@code capacity}. */
  RequestReader(ReadableByteChannel channel, int capacity) {
    if (capacity < Frames.HEADER_LENGTH) {
      throw new IllegalArgumentException("capacity must hold a length prefix: " + capacity);
    }
    this.channel = Objects.requireNonNull(channel, "channel");
    this.buffer = ByteBuffer.allocateDirect(capacity).flip();
  }

  /**
   * Reads the next frame's payload, blocking until it is complete.
   *
   * @return the payload, or empty when the stream ended cleanly before the first length byte
   * @throws CodecException with code {@code frame_too_large} for a zero or oversized length, or
   *     {@code malformed_frame} when the stream ends inside a frame; either way the connection
   *     cannot be used further
   * @throws IOException if the channel fails
   */
  Optional<byte[]> readFrame() throws IOException {
    if (!fill(Frames.HEADER_LENGTH)) {
      if (buffer.hasRemaining()) {
        throw truncated(buffer.remaining(), Frames.HEADER_LENGTH, " length bytes.");
      }
      return Optional.empty();
    }
    int length = Frames.checkPayloadLength(Integer.toUnsignedLong(buffer.getInt()));
    byte[] payload = new byte[length];
    int buffered = Math.min(length, buffer.remaining());
    buffer.get(payload, 0, buffered);
    // The rest, if any, goes straight into the payload: it may be far larger than the buffer.
    ByteBuffer rest = ByteBuffer.wrap(payload, buffered, length - buffered);
    while (rest.hasRemaining()) {
      if (read(rest) < 0) {
        throw truncated(rest.position(), length, " payload bytes.");
      }
    }
    return Optional.of(payload);
  }

  /** Whether bytes of a further frame have arrived already, that is, the client pipelines. */
  boolean hasBufferedBytes() {
    return buffer.hasRemaining();
  }

  /**
   * Reads until at least {@code bytes} are buffered.
   *
   * @return false if the stream ended first
   */
  private boolean fill(int bytes) throws IOException {
    if (buffer.remaining() >= bytes) {
      return true;
    }
    buffer.compact();
    try {
      while (buffer.position() < bytes) {
        if (read(buffer) < 0) {
          return false;
        }
      }
      return true;
    } finally {
      buffer.flip();
    }
  }

  private int read(ByteBuffer into) throws IOException {
    int n = channel.read(into);
    if (n == 0) {
      // A blocking channel never reads nothing; looping here would spin.
      throw new IllegalStateException("RequestReader needs a channel in blocking mode");
    }
    return n;
  }

  private static CodecException truncated(int got, int of, String what) {
    return new CodecException(
        ErrorCode.MALFORMED_FRAME,
        "The stream ended inside a frame, after " + got + " of " + of + what,
        OptionalLong.empty(),
        false,
        null);
  }
}
