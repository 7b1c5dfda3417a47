package dev.bgservice.lifecycle;

import java.util.Objects;

/**
 * Why a run stopped, as carried in {@code stopped{reason}}. A value type so that reasons a
 * newer peer sends survive; the constants are the ones this library produces.
 *
 * @param value the wire form, lower camel case
 */
public record StopReason(String value) {

  /** The user (or the app on the user's behalf) asked the service to stop. */
  public static final StopReason USER_STOP = new StopReason("userStop");
  /** The app or the sidecar shut down in an orderly way; the intent to run is kept. */
  public static final StopReason APP_STOP = new StopReason("appStop");
  /** {@code run} returned on its own: the task is done. */
  public static final StopReason TASK_COMPLETED = new StopReason("taskCompleted");
  /** The run did not return within the stop timeout and the grace after an interrupt. */
  public static final StopReason STOP_TIMEOUT = new StopReason("stopTimeout");

  /** Checks the value is not blank. */
  public StopReason {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("stop reason must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
