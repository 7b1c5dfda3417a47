package dev.bgservice.state;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;

/**
 * The desired state could not be read or written: the file system refused, another process held
 * the lock for too long, or the file belongs to a newer version of bgservice. The message is one
 * sentence naming the file.
 */
public final class StateStoreException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** The code of every failure of the desired state store. */
  public static final ErrorCode CODE = ErrorCode.of("state_store_failed");

  /** An exception with the given message and cause. */
  public StateStoreException(String message, Throwable cause) {
    super(CODE, message, cause);
  }

  /** An exception with the given message. */
  public StateStoreException(String message) {
    this(message, null);
  }
}
