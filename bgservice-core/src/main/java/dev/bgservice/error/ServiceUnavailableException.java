package dev.bgservice.error;

/** The sidecar cannot be reached: not started, crashed, or the connection is down. */
public final class ServiceUnavailableException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what could not be reached, and the I/O cause when there is one. */
  public ServiceUnavailableException(String message, Throwable cause) {
    super(ErrorCode.IPC_UNAVAILABLE, message, cause);
  }
}
