package dev.bgservice.ipc.client;

import dev.bgservice.concurrent.Futures;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's own {@link Scheduler}: one daemon thread, ended by {@link #shutdown}. */
final class ExecutorScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  ExecutorScheduler(String threadName) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread created = new Thread(task, threadName);
              created.setDaemon(true);
              thread = created;
              return created;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> future =
          executor.schedule(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException | Error e) {
                  // A throwing task must not kill the only timer thread of the client.
                  log.error("client timer task failed", e);
                }
              },
              Futures.saturatedNanos(delay),
              TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException e) {
      // The client is closing: nothing is to run any more.
      return () -> {};
    }
  }

  /**
   * Stops the thread, dropping tasks not yet started, and waits a bounded time for it to end
   * (unless called from it). Nothing is interrupted: tasks are short.
   */
  void shutdown(Duration wait) {
    executor.shutdown();
    Thread timer = thread;
    if (timer != null) {
      Threads.join(timer, wait);
    }
  }
}
