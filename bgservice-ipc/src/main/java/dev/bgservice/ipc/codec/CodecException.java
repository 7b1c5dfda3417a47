package dev.bgservice.ipc.codec;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import java.util.OptionalLong;

/**
 * A frame or message that breaks the wire protocol. The {@link #code()} says what is wrong:
 *
 * <ul>
 *   <li>{@link ErrorCode#FRAME_TOO_LARGE}: a length prefix of zero or above the limit.
 *   <li>{@link ErrorCode#MALFORMED_FRAME}: a frame cut short by the end of the stream, or a
 *       complete frame that is not one JSON object.
 *   <li>{@link ErrorCode#INVALID_REQUEST}: a JSON object that is not a valid message (missing or
 *       unknown {@code kind} or {@code type}, a field of the wrong type).
 * </ul>
 *
 * <p>{@link #framingIntact()} says whether the stream is still positioned at a frame boundary, so
 * the connection can be kept (PROTOCOL.md A.8). When the offending object carried a readable
 * integer {@code id}, {@link #requestId()} has it, so a server can answer under that id.
 */
public final class CodecException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  private final Long requestId;
  private final boolean framingIntact;

  /**
   * A failure.
   *
   * @param code one of the codes listed on this class
   * @param message one sentence naming what is wrong
   * @param requestId the id of the failing message, when it could be read
   * @param framingIntact whether the stream is still at a frame boundary
   * @param cause the parser's exception, if any
   */
  public CodecException(
      ErrorCode code,
      String message,
      OptionalLong requestId,
      boolean framingIntact,
      Throwable cause) {
    super(code, message, cause);
    this.requestId = requestId.isPresent() ? requestId.getAsLong() : null;
    this.framingIntact = framingIntact;
  }

  /** A bad length prefix or a truncated frame: the connection cannot be resynchronised. */
  static CodecException framing(ErrorCode code, String message) {
    return new CodecException(code, message, OptionalLong.empty(), false, null);
  }

  /** A complete frame whose content is not a valid message. */
  static CodecException content(
      ErrorCode code, String message, OptionalLong requestId, Throwable cause) {
    return new CodecException(code, message, requestId, true, cause);
  }

  /** The {@code id} of the message that failed to decode, when it could be read. */
  public OptionalLong requestId() {
    return requestId == null ? OptionalLong.empty() : OptionalLong.of(requestId);
  }

  /**
   * Whether the stream is still at a frame boundary: true for a complete frame that failed to
   * decode (answer it and keep the connection), false for a bad length prefix or a truncated frame
   * (close the connection).
   */
  public boolean framingIntact() {
    return framingIntact;
  }
}
