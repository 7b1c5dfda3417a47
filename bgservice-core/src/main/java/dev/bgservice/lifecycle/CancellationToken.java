package dev.bgservice.lifecycle;

import dev.bgservice.service.ShutdownToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ShutdownToken} of one run: a one-shot latch plus callbacks. */
final class CancellationToken implements ShutdownToken {
  private static final Logger log = LoggerFactory.getLogger(CancellationToken.class);

  private final CountDownLatch latch = new CountDownLatch(1);
  private final Object lock = new Object();
  private List<Runnable> callbacks = new ArrayList<>(); // null once cancelled

  @Override
  public boolean isCancelled() {
    return latch.getCount() == 0;
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      return isCancelled();
    }
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    return latch.await(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public AutoCloseable onCancel(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    synchronized (lock) {
      if (callbacks != null) {
        callbacks.add(callback);
        return () -> {
          synchronized (lock) {
            if (callbacks != null) {
              callbacks.remove(callback);
            }
          }
        };
      }
    }
    runQuietly(callback);
    return () -> {};
  }

  /** Cancels the token and runs the callbacks on this thread; later calls do nothing. */
  void cancel() {
    List<Runnable> toRun;
    synchronized (lock) {
      if (callbacks == null) {
        return;
      }
      toRun = callbacks;
      callbacks = null;
      latch.countDown();
    }
    toRun.forEach(CancellationToken::runQuietly);
  }

  private static void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      log.warn("shutdown callback threw; ignoring it", e);
    }
  }
}
