package dev.bgservice.ipc.codec;

import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads frames from a channel through a buffer of its own: each read takes whatever the channel
 * has, up to the buffer's size, so a stream of small frames costs one read per bufferful rather
 * than two per frame. A read is made only when the buffer does not hold the next whole frame, so a
 * frame that has arrived is returned without waiting for more. The length prefix is checked before
 * the payload array is allocated, so a hostile prefix such as {@code ffffffff} costs nothing. A
 * frame larger than the buffer is read straight into its payload array.
 *
 * <p>A blocking channel is read with {@link #readFrame()}. A non-blocking one is read in steps:
 * {@link #fill()} reads what has arrived, {@link #nextBufferedFrame()} hands out each whole frame
 * read so far, and {@link #checkCleanEnd()} tells at the end of the stream whether it ended
 * between frames.
 *
 * <p>Because it reads ahead, one reader must read a channel for as long as frames are read from it.
 * Not thread-safe: one thread at a time reads a connection.
 */
public final class FrameReader {

  /** The size of the buffer: how far one read may go ahead of the frame being read. */
  static final int BUFFER_SIZE = 16 * 1024;

  private final ReadableByteChannel channel;
  /** Unread bytes between position and limit (read mode). */
  private final ByteBuffer buffer;
  /** The payload of a frame too large for the buffer while it is read into it; null otherwise. */
  private byte[] large;
  /** How many bytes of {@link #large} have been read. */
  private int largeFilled;

  /** A reader of {@code channel}. */
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
   * Reads the next frame's payload from a blocking channel, blocking until it is complete.
   *
   * @return the payload, or empty when the stream ended cleanly before the first length byte
   * @throws CodecException with code {@code frame_too_large} for a zero or oversized length, or
   *     {@code malformed_frame} when the stream ends inside a frame; either way the connection
   *     cannot be used further
   * @throws IOException if the channel fails
   * @throws IllegalStateException if the channel is in non-blocking mode
   */
  public Optional<byte[]> readFrame() throws IOException {
    while (true) {
      Optional<byte[]> frame = nextBufferedFrame();
      if (frame.isPresent()) {
        return frame;
      }
      int n = fill();
      if (n < 0) {
        checkCleanEnd();
        return Optional.empty();
      }
      if (n == 0) {
        // A blocking channel never reads nothing; looping here would spin.
        throw new IllegalStateException(
            "readFrame needs a channel in blocking mode; read a non-blocking one with fill");
      }
    }
  }

  /**
   * The next frame if all of it has been read already; never reads.
   *
   * @throws CodecException with code {@code frame_too_large} for a zero or oversized length; the
   *     connection cannot be used further
   */
  public Optional<byte[]> nextBufferedFrame() {
    if (large != null) {
      if (largeFilled < large.length) {
        return Optional.empty();
      }
      byte[] whole = large;
      large = null;
      return Optional.of(whole);
    }
    if (buffer.remaining() < Frames.HEADER_LENGTH) {
      return Optional.empty();
    }
    int start = buffer.position();
    int length = Frames.checkPayloadLength(Integer.toUnsignedLong(buffer.getInt(start)));
    if (Frames.HEADER_LENGTH + length > buffer.capacity()) {
      // Too large for the buffer: the rest of it is read straight into its own array.
      buffer.position(start + Frames.HEADER_LENGTH);
      large = new byte[length];
      largeFilled = buffer.remaining(); // less than length, which does not fit the buffer
      buffer.get(large, 0, largeFilled);
      return Optional.empty();
    }
    if (buffer.remaining() < Frames.HEADER_LENGTH + length) {
      return Optional.empty();
    }
    buffer.position(start + Frames.HEADER_LENGTH);
    byte[] payload = new byte[length];
    buffer.get(payload);
    return Optional.of(payload);
  }

  /**
   * Reads once from the channel, taking what it has (a blocking channel waits for at least a byte).
   * Call it only when {@link #nextBufferedFrame()} is empty.
   *
   * @return the number of bytes read: 0 when a non-blocking channel had none, -1 at the end of the
   *     stream (then see {@link #checkCleanEnd()})
   * @throws IOException if the channel fails
   */
  public int fill() throws IOException {
    if (large != null) {
      int n = channel.read(ByteBuffer.wrap(large, largeFilled, large.length - largeFilled));
      if (n > 0) {
        largeFilled += n;
      }
      return n;
    }
    buffer.compact();
    try {
      return channel.read(buffer);
    } finally {
      buffer.flip();
    }
  }

  /**
   * At the end of the stream: checks that it ended between frames.
   *
   * @throws CodecException with code {@code malformed_frame} if it ended inside a frame
   */
  public void checkCleanEnd() {
    if (large != null) {
      throw truncated(largeFilled, large.length, " payload bytes.");
    }
    int unread = buffer.remaining();
    if (unread == 0) {
      return;
    }
    if (unread < Frames.HEADER_LENGTH) {
      throw truncated(unread, Frames.HEADER_LENGTH, " length bytes.");
    }
    throw truncated(
        unread - Frames.HEADER_LENGTH, buffer.getInt(buffer.position()), " payload bytes.");
  }

  /**
   * Whether bytes after the last frame returned have arrived already: the peer has sent more
   * (a server uses this to see that a client pipelines its requests).
   */
  public boolean hasBufferedBytes() {
    return buffer.hasRemaining() || large != null;
  }

  private static CodecException truncated(int got, int of, String unit) {
    return CodecException.framing(
        ErrorCode.MALFORMED_FRAME,
        "The stream ended inside a frame, after " + got + " of " + of + unit);
  }
}
