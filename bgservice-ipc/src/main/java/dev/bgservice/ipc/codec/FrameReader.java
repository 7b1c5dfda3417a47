package dev.bgservice.ipc.codec;

import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads frames from a blocking channel, one at a time. It reads exactly the bytes of each frame and
 * buffers nothing beyond, and it checks the length prefix before allocating the payload buffer, so
 * a hostile prefix such as {@code ffffffff} costs nothing.
 *
 * <p>Not thread-safe: one thread reads a connection.
 */
public final class FrameReader {

  private final ReadableByteChannel channel;
  private final ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_LENGTH);

  /** A reader of {@code channel}, which must be in blocking mode. */
  public FrameReader(ReadableByteChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
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
    header.clear();
    if (!fill(header, true)) {
      return Optional.empty();
    }
    header.flip();
    int length = Frames.checkPayloadLength(Integer.toUnsignedLong(header.getInt()));
    ByteBuffer payload = ByteBuffer.allocate(length);
    fill(payload, false);
    return Optional.of(payload.array());
  }

  /**
   * Fills {@code buffer} completely. Returns false on end of stream before the first byte if {@code
   * cleanEofAllowed}; any other end of stream is a truncated frame.
   */
  private boolean fill(ByteBuffer buffer, boolean cleanEofAllowed) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer);
      if (n < 0) {
        if (cleanEofAllowed && buffer.position() == 0) {
          return false;
        }
        throw CodecException.framing(
            ErrorCode.MALFORMED_FRAME,
            "The stream ended inside a frame, after "
                + buffer.position()
                + " of "
                + buffer.capacity()
                + (cleanEofAllowed ? " length bytes." : " payload bytes."));
      }
      if (n == 0) {
        // A blocking channel never reads nothing; looping here would spin.
        throw new IllegalStateException("FrameReader needs a channel in blocking mode");
      }
    }
    return true;
  }
}
