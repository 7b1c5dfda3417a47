package dev.bgservice.ipc.client;

import java.time.Duration;

/** Waiting for the client's own threads to end. */
final class Threads {
  private Threads() {}

  /**
   * Waits at most {@code timeout} for {@code thread} to end; returns at once when it is the
   * calling thread (a listener or callback closing the client), which ends after it returns.
   */
  static void join(Thread thread, Duration timeout) {
    if (thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
