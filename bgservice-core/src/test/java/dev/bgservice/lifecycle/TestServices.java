package dev.bgservice.lifecycle;

import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Small services with one behaviour each. */
final class TestServices {
  private TestServices() {}

  /** Runs until cancelled. */
  static BackgroundService cooperative() {
    return ctx -> {
      while (!ctx.shutdown().await(Duration.ofSeconds(30))) {
        // keep waiting
      }
    };
  }

  /** Returns at once: the task is complete. */
  static BackgroundService finishing() {
    return ctx -> {};
  }

  /** Throws from run. */
  static BackgroundService failingRun(String message) {
    return ctx -> {
      throw new IllegalStateException(message);
    };
  }

  /** Throws from init. */
  static BackgroundService failingInit(String message) {
    return new BackgroundService() {
      @Override
      public void init(ServiceContext context) throws Exception {
        throw new java.io.IOException(message);
      }

      @Override
      public void run(ServiceContext context) {
        throw new AssertionError("run must not be called after a failed init");
      }
    };
  }

  /** Ignores the token; returns only when interrupted. */
  static BackgroundService ignoresTokenHonoursInterrupt() {
    return ctx -> {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Ignores the token and interrupts until {@code release} is opened. */
  static BackgroundService uncooperative(CountDownLatch release) {
    return ctx -> {
      while (true) {
        try {
          release.await();
          return;
        } catch (InterruptedException ignored) {
          // deliberately swallowed: this service will not stop
        }
      }
    };
  }
}
