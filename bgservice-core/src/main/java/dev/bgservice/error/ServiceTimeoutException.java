package dev.bgservice.error;

/** An operation did not complete within its deadline. */
public final class ServiceTimeoutException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the operation and the deadline. */
  public ServiceTimeoutException(String message) {
    super(ErrorCode.TIMEOUT, message);
  }
}
