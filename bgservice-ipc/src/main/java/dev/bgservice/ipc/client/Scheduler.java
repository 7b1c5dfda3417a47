package dev.bgservice.ipc.client;

import java.time.Duration;

/**
 * Runs a {@link PersistentIpcClient}'s timed work: connection attempts and the deadlines of calls.
 * The client's own implementation is one daemon thread; tests substitute one whose time they
 * advance themselves, so a 30 s backoff costs nothing.
 *
 * <p>Tasks must run one at a time or concurrently, never before their delay has passed as far as
 * the scheduler's notion of time goes; a task cancelled before it started must not run.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once after {@code delay} (at once for a zero delay, but never on the calling
   * thread).
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started; idempotent. */
    void cancel();
  }
}
