package dev.bgservice.benchmarks;

import dev.bgservice.ipc.codec.Frames;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The framing of the raw baselines, with none of the product's code: read a 4-byte big-endian
 * length and that many bytes into a reused buffer, write a buffer whole. This is the least the
 * same bytes can cost on a blocking Unix domain socket.
 */
final class RawFrames {
  private RawFrames() {}

  /**
   * Reads one frame into {@code buffer} (which must hold the largest frame expected).
   *
   * @return the payload length, or -1 at a clean end of stream before the frame
   * @throws EOFException if the stream ends inside the frame
   */
  static int read(SocketChannel channel, ByteBuffer buffer) throws IOException {
    buffer.clear().limit(Frames.HEADER_LENGTH);
    if (!fill(channel, buffer, true)) {
      return -1;
    }
    int length = buffer.getInt(0);
    buffer.clear().limit(length);
    fill(channel, buffer, false);
    return length;
  }

  /** Writes {@code frame} from its position to its limit, leaving the buffer itself unchanged. */
  static void write(SocketChannel channel, ByteBuffer frame) throws IOException {
    ByteBuffer bytes = frame.duplicate();
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private static boolean fill(SocketChannel channel, ByteBuffer buffer, boolean endAllowed)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new EOFException("the raw peer closed the connection inside a frame");
      }
    }
    return true;
  }
}
