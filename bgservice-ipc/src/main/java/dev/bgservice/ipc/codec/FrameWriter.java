package dev.bgservice.ipc.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Writes whole frames to a blocking channel, looping over partial writes. Thread-safe: each frame
 * is written in one piece, so frames from different threads never interleave.
 */
public final class FrameWriter {

  private final WritableByteChannel channel;

  /** A writer to {@code channel}, which must be in blocking mode. */
  public FrameWriter(WritableByteChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  /**
   * Encodes {@code message} and writes it as one frame.
   *
   * @throws IOException if the channel fails
   */
  public void write(Message message) throws IOException {
    writeFrame(MessageCodec.encodeFrame(message));
  }

  /**
   * Writes {@code payload} as one frame.
   *
   * @throws CodecException if the payload is empty or above the limit
   * @throws IOException if the channel fails
   */
  public void writePayload(byte[] payload) throws IOException {
    writeFrame(Frames.frame(payload));
  }

  /**
   * Writes a frame encoded earlier (by {@link MessageCodec#encodeFrame} or {@link Frames#frame}):
   * the bytes from its position to its limit. The buffer itself is not changed, so one encoded
   * frame can be written to many channels.
   *
   * @throws IOException if the channel fails
   */
  public synchronized void writeFrame(ByteBuffer frame) throws IOException {
    ByteBuffer bytes = frame.duplicate();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) == 0) {
        // A blocking channel always makes progress; looping here would spin.
        throw new IllegalStateException("FrameWriter needs a channel in blocking mode");
      }
    }
  }
}
