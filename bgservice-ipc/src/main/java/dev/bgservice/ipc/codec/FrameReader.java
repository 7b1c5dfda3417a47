package dev.bgservice.ipc.codec;

import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads frames from a blocking channel, one at a time, through a buffer of its own: each read takes
 * whatever the channel has, up to the buffer's size, so a stream of small frames costs one read per
 * bufferful rather than two per frame. A read is made only when the buffer does not hold the next
 * whole frame, so a frame that has arrived is returned without waiting for more. The length prefix
 * is checked before the payload array is allocated, so a hostile prefix such as {@code ffffffff}
 * costs nothing. A frame larger than the buffer is read straight into its payload array.
 *
 * <p>Because it reads ahead, one reader must read a channel for as long as frames are read from it.
 * Not thread-safe: one thread reads a connection.
 */
public final class FrameReader {

  /** The size of the buffer: how far one read may go ahead of the frame being read. */
  static final int BUFFER_SIZE = 16 * 1024;

  private final ReadableByteChannel channel;
  /** Unread bytes between position and limit (read mode). */
  private final ByteBuffer buffer;

  /** A reader of {@code channel}, which must be in blocking mode. */
  public FrameReader(ReadableByteChannel channel) {
    this(channel, BUFFER_SIZE);
  }

  /** A reader with a buffer of {@code bufferSize} bytes; small sizes are for tests. */
  FrameReader(ReadableByteChannel channel, int bufferSize) {
    this.channel = Objects.requireNonNull(channel, "channel");
    if (bufferSize < Frames.HEADER_LENGTH) {
      throw new IllegalArgumentException(
          "bufferSize must hold a length prefix (" + Frames.HEADER_LENGTH + "): " + bufferSize);
    }
    this.buffer = ByteBuffer.allocate(bufferSize).flip();
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
  public Optional<byte[]> readFrame() throws IOException {
    if (!buffered(Frames.HEADER_LENGTH, Frames.HEADER_LENGTH, true)) {
      return Optional.empty();
    }
    int length =
        Frames.checkPayloadLength(Integer.toUnsignedLong(buffer.getInt(buffer.position())));
    buffer.position(buffer.position() + Frames.HEADER_LENGTH);
    byte[] payload = new byte[length];
    if (length <= buffer.capacity()) {
      buffered(length, length, false);
      buffer.get(payload);
    } else {
      int start = buffer.remaining();
      buffer.get(payload, 0, start);
      ByteBuffer rest = ByteBuffer.wrap(payload, start, length - start);
      while (rest.hasRemaining()) {
        if (read(rest) < 0) {
          throw truncated(rest.position(), length, " payload bytes.");
        }
      }
    }
    return Optional.of(payload);
  }

  /**
   * Whether bytes after the last frame returned have arrived already: the peer has sent more
   * (a server uses this to see that a client pipelines its requests).
   */
  public boolean hasBufferedBytes() {
    return buffer.hasRemaining();
  }

  /**
   * Reads until the buffer holds at least {@code needed} unread bytes (of a unit of {@code whole}
   * bytes, for the message). Returns false on end of stream before any byte if {@code
   * cleanEofAllowed}; any other end of stream is a truncated frame.
   */
  private boolean buffered(int needed, int whole, boolean cleanEofAllowed) throws IOException {
    while (buffer.remaining() < needed) {
      buffer.compact();
      int n;
      try {
        n = read(buffer);
      } finally {
        buffer.flip();
      }
      if (n < 0) {
        if (cleanEofAllowed && !buffer.hasRemaining()) {
          return false;
        }
        throw truncated(
            buffer.remaining(), whole, cleanEofAllowed ? " length bytes." : " payload bytes.");
      }
    }
    return true;
  }

  private int read(ByteBuffer into) throws IOException {
    int n = channel.read(into);
    if (n == 0) {
      // A blocking channel never reads nothing; looping here would spin.
      throw new IllegalStateException("FrameReader needs a channel in blocking mode");
    }
    return n;
  }

  private static CodecException truncated(int got, int of, String unit) {
    return CodecException.framing(
        ErrorCode.MALFORMED_FRAME,
        "The stream ended inside a frame, after " + got + " of " + of + unit);
  }
}
