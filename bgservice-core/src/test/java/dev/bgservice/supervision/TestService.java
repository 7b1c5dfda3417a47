package dev.bgservice.supervision;

import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A controllable service for supervisor tests: its {@code init} and {@code run} fail a given
 * number of times, its run can be crashed on demand or complete at once, and every start and its
 * config are recorded.
 */
final class TestService {
  final AtomicInteger starts = new AtomicInteger();
  final List<StartConfig> configs = new CopyOnWriteArrayList<>();
  final AtomicInteger initFailures = new AtomicInteger();
  final AtomicInteger runFailures = new AtomicInteger();
  final Semaphore crashes = new Semaphore(0);
  volatile boolean completeAtOnce;

  /** Fails the next {@code n} inits. */
  TestService failInit(int n) {
    initFailures.set(n);
    return this;
  }

  /** Fails the next {@code n} runs at once. */
  TestService failRun(int n) {
    runFailures.set(n);
    return this;
  }

  /** Makes the running run throw. */
  void crash() {
    crashes.release();
  }

  Supplier<BackgroundService> factory() {
    return () ->
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) {
            starts.incrementAndGet();
            configs.add(context.config());
            if (takeOne(initFailures)) {
              throw new IllegalStateException("init boom");
            }
          }

          @Override
          public void run(ServiceContext context) throws InterruptedException {
            if (takeOne(runFailures)) {
              throw new IllegalStateException("run boom");
            }
            if (completeAtOnce) {
              return;
            }
            while (!context.shutdown().isCancelled()) {
              if (crashes.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("crashed");
              }
            }
          }
        };
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }
}
