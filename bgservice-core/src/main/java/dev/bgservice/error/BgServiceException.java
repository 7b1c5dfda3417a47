package dev.bgservice.error;

import java.util.Objects;

/**
 * Base of every exception the library throws for a failed operation. Carries a stable {@link
 * ErrorCode} beside a message a person can act on.
 */
public class BgServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** An exception with the given code and message. */
  public BgServiceException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** An exception with the given code, message and cause. */
  public BgServiceException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable code of this failure. */
  public ErrorCode code() {
    return code;
  }

  /**
   * Maps a code and message received from a peer to the most specific exception type, so a
   * caller can catch the same types in-process and over IPC.
   */
  public static BgServiceException fromCode(ErrorCode code, String message) {
    if (code.equals(ErrorCode.ALREADY_RUNNING)) {
      return new AlreadyRunningException(message);
    } else if (code.equals(ErrorCode.NOT_RUNNING)) {
      return new NotRunningException(message);
    } else if (code.equals(ErrorCode.INIT_FAILED)) {
      return new InitFailedException(message, null);
    } else if (code.equals(ErrorCode.TIMEOUT)) {
      return new ServiceTimeoutException(message);
    } else if (code.equals(ErrorCode.IPC_UNAVAILABLE)) {
      return new ServiceUnavailableException(message, null);
    }
    return new BgServiceException(code, message);
  }
}
