package dev.bgservice.os.naming;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;

/** A service label that a service manager cannot use as a name. */
public final class InvalidLabelException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the manager and the rule. */
  public InvalidLabelException(String message) {
    super(ErrorCode.INVALID_ARGUMENT, message);
  }
}
