package dev.bgservice.benchmarks;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How many items one receiver of a stream got, written by the one thread that delivers to it and
 * awaited by the benchmark thread. A receiver that notices a loss (a gap, a resync, a dropped
 * connection) records it, and the wait fails with that sentence instead of a timeout.
 */
final class DeliveryCount {
  private final String receiver;
  private volatile long received;
  private volatile long awaited = Long.MAX_VALUE;
  private volatile Thread waiter;
  private volatile String problem;

  /** A count for the receiver named {@code receiver} in failure messages. */
  DeliveryCount(String receiver) {
    this.receiver = receiver;
  }

  /** Counts one more item. Called only by the receiver's delivering thread. */
  void delivered() {
    long now = received + 1;
    received = now;
    // Written before awaited is read, as the waiter writes awaited before reading received: one
    // of the two sees the other, so a wake-up is never lost.
    if (now >= awaited) {
      LockSupport.unpark(waiter);
    }
  }

  /** Items counted so far. */
  long received() {
    return received;
  }

  /** Records that the receiver lost something; the first problem is kept. */
  void lost(String what) {
    if (problem == null) {
      problem = receiver + ": " + what;
    }
    Thread current = waiter;
    if (current != null) {
      LockSupport.unpark(current);
    }
  }

  /**
   * Waits until {@code count} items were counted.
   *
   * @throws IllegalStateException when the receiver recorded a loss, or did not get them all in
   *     time: the benchmark iteration must fail rather than report a rate of a lossy stream
   */
  void await(long count, Duration timeout) {
    waiter = Thread.currentThread();
    awaited = count;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received < count && problem == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            receiver + " got " + received + " of " + count + " in " + timeout + ": events lost");
      }
      LockSupport.parkNanos(this, left);
    }
    if (problem != null) {
      throw new IllegalStateException("events lost: " + problem);
    }
  }
}
