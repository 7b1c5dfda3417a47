package dev.bgservice.error;

/** A start was asked for while a run is active; nothing changed. */
public final class AlreadyRunningException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** The base protocol's message text for this error. */
  public static final String MESSAGE = "Service is already running";

  /** With the base protocol's message. */
  public AlreadyRunningException() {
    this(MESSAGE);
  }

  /** With a peer's message. */
  public AlreadyRunningException(String message) {
    super(ErrorCode.ALREADY_RUNNING, message);
  }
}
