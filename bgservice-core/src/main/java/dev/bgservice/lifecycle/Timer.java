package dev.bgservice.lifecycle;

import dev.bgservice.concurrent.Futures;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread the lifecycle package shares, for stop escalation. Its thread is a
 * daemon and exits after a second without work, so an idle library holds no thread.
 */
final class Timer {
  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  private Timer() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "bgservice-timer");
              thread.setDaemon(true);
              return thread;
            });
    executor.setKeepAliveTime(1, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  static ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    return EXECUTOR.schedule(task, Futures.saturatedNanos(delay), TimeUnit.NANOSECONDS);
  }

}
