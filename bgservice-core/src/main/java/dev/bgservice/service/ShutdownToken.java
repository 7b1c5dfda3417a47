package dev.bgservice.service;

import java.time.Duration;

/**
 * The cooperative shutdown signal of one run. A stop cancels the token first; only when the
 * run has not returned within the stop timeout is its thread interrupted, as an escalation.
 */
public interface ShutdownToken {

  /** Whether a stop has been requested. */
  boolean isCancelled();

  /**
   * Blocks until the token is cancelled or the timeout elapses, whichever comes first.
   *
   * @return {@code true} if the token was cancelled
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Runs {@code callback} once when the token is cancelled, on the cancelling thread; at once on
   * the calling thread if it already is. A callback that throws is logged and ignored.
   *
   * @return a handle that unregisters the callback if it has not run yet
   */
  AutoCloseable onCancel(Runnable callback);

  /**
   * Throws {@link java.util.concurrent.CancellationException} if the token is cancelled: a
   * convenient exit from loops.
   */
  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new java.util.concurrent.CancellationException("service is shutting down");
    }
  }
}
