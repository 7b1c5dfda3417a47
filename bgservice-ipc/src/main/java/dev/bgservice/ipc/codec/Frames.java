package dev.bgservice.ipc.codec;

import dev.bgservice.error.ErrorCode;
import java.nio.ByteBuffer;

/**
 * The framing of PROTOCOL.md A.1: a 4-byte big-endian unsigned length {@code N}, then {@code N}
 * bytes of UTF-8 JSON, with {@code 1 <= N <=} {@value #MAX_PAYLOAD_LENGTH}.
 */
public final class Frames {

  /** Bytes in the length prefix. */
  public static final int HEADER_LENGTH = 4;

  /** The largest payload a frame may carry: 16 MiB. */
  public static final int MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;

  private Frames() {}

  /**
   * Returns {@code length} as an int if it is a valid payload length.
   *
   * @param length the length prefix read as an unsigned 32-bit value
   * @throws CodecException with code {@code frame_too_large} if it is zero or above the limit
   */
  public static int checkPayloadLength(long length) {
    if (length == 0) {
      throw CodecException.framing(
          ErrorCode.FRAME_TOO_LARGE, "Frame length is 0; a frame must carry at least 1 byte.");
    }
    if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
      throw CodecException.framing(
          ErrorCode.FRAME_TOO_LARGE,
          "Frame length "
              + length
              + " bytes is above the limit of "
              + MAX_PAYLOAD_LENGTH
              + " bytes.");
    }
    return (int) length;
  }

  /**
   * A new read-only buffer holding the frame for {@code payload}: header and payload, positioned at
   * 0. Share it between writers with {@link ByteBuffer#duplicate()}.
   *
   * @throws CodecException if the payload is empty or above the limit
   */
  public static ByteBuffer frame(byte[] payload) {
    checkPayloadLength(payload.length);
    ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
    frame.putInt(payload.length).put(payload).flip();
    return frame.asReadOnlyBuffer();
  }
}
