package dev.bgservice.error;

/** The service's {@code init} failed (or the run was stopped before it finished). */
public final class InitFailedException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** With a message naming what failed, and the service's exception when there is one. */
  public InitFailedException(String message, Throwable cause) {
    super(ErrorCode.INIT_FAILED, message, cause);
  }
}
