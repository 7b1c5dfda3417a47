package dev.bgservice.error;

/** A stop was asked for while no run is active. */
public final class NotRunningException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** The base protocol's message text for this error. */
  public static final String MESSAGE = "Service is not running";

  /** With the base protocol's message. */
  public NotRunningException() {
    this(MESSAGE);
  }

  /** With a peer's message. */
  public NotRunningException(String message) {
    super(ErrorCode.NOT_RUNNING, message);
  }
}
