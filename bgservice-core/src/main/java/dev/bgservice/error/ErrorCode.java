package dev.bgservice.error;

import java.util.Objects;

/**
 * A stable, machine-readable error code, as carried in the {@code code} field of an {@code
 * ok:false} response. A value type rather than an enum so that codes from a newer peer survive
 * a round trip.
 *
 * @param value the wire form, lower snake case
 */
public record ErrorCode(String value) {

  /** {@code start} while a run is active. */
  public static final ErrorCode ALREADY_RUNNING = new ErrorCode("already_running");
  /** {@code stop} while no run is active. */
  public static final ErrorCode NOT_RUNNING = new ErrorCode("not_running");
  /** The service's {@code init} threw. */
  public static final ErrorCode INIT_FAILED = new ErrorCode("init_failed");
  /** The service's {@code run} threw. */
  public static final ErrorCode RUN_FAILED = new ErrorCode("run_failed");
  /** An operation did not finish within its deadline. */
  public static final ErrorCode TIMEOUT = new ErrorCode("timeout");
  /** A well-framed message that is not a valid request. */
  public static final ErrorCode INVALID_REQUEST = new ErrorCode("invalid_request");
  /** A frame that is not valid JSON or not an object. */
  public static final ErrorCode MALFORMED_FRAME = new ErrorCode("malformed_frame");
  /** A frame whose length is zero or above the limit. */
  public static final ErrorCode FRAME_TOO_LARGE = new ErrorCode("frame_too_large");
  /** The peer does not support the request. */
  public static final ErrorCode UNSUPPORTED = new ErrorCode("unsupported");
  /** The peers' protocol versions cannot work together. */
  public static final ErrorCode VERSION_MISMATCH = new ErrorCode("version_mismatch");
  /** The sidecar cannot be reached. */
  public static final ErrorCode IPC_UNAVAILABLE = new ErrorCode("ipc_unavailable");
  /** The arguments of a call were not acceptable. */
  public static final ErrorCode INVALID_ARGUMENT = new ErrorCode("invalid_argument");
  /** Something failed that the caller cannot fix. */
  public static final ErrorCode INTERNAL = new ErrorCode("internal");

  /** Checks the code is a non-blank word. */
  public ErrorCode {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("error code must not be blank");
    }
  }

  /** The code for a wire value; known codes return their constant. */
  public static ErrorCode of(String value) {
    return new ErrorCode(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
