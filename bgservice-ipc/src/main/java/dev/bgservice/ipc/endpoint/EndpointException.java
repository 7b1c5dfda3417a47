package dev.bgservice.ipc.endpoint;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;

/**
 * The socket endpoint cannot be used: a bad label, a path too long for the platform, or a socket
 * directory that is not private to this user.
 */
public final class EndpointException extends BgServiceException {
  private static final long serialVersionUID = 1L;

  /** The code of a socket directory that is not private to this user. */
  public static final ErrorCode UNSAFE_DIRECTORY = ErrorCode.of("unsafe_directory");

  /** An endpoint failure with the given code and a one-sentence message. */
  public EndpointException(ErrorCode code, String message) {
    super(code, message);
  }
}
