package dev.bgservice.state;

import dev.bgservice.concurrent.Durations;
import dev.bgservice.status.DesiredState;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code lastHeartbeatEpochMs} into a {@link DesiredStateStore} at a fixed interval while
 * started, so that another process can tell how recently the service was seen alive (for
 * example, after a crash, when it stopped).
 *
 * <p>Thread-safe. Owns one daemon thread between {@link #start()} and {@link #stop()}; after
 * {@link #stop()} returns no heartbeat thread is left and no further beat is written. A failed
 * write is logged and the next beat tries again.
 */
public final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  /** The default interval between beats. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final DesiredStateStore store;
  private final Duration interval;
  private final Clock clock;

  // Guarded by this.
  private ScheduledExecutorService executor;
  private AtomicReference<Thread> thread;
  private boolean failing;

  /**
   * A heartbeat for {@code store} every {@code interval}, stamped with {@code clock}.
   *
   * @throws IllegalArgumentException if the interval is not positive
   */
  public Heartbeat(DesiredStateStore store, Duration interval, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    Durations.requirePositive(interval, "heartbeat interval");
    this.interval = interval;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A heartbeat for {@code store} every {@link #DEFAULT_INTERVAL}, on the system clock. */
  public Heartbeat(DesiredStateStore store) {
    this(store, DEFAULT_INTERVAL, Clock.systemUTC());
  }

  /** The interval between beats. */
  public Duration interval() {
    return interval;
  }

  /** Starts beating: one beat at once, then one per interval. Does nothing if started. */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    // The pool's one worker, replaced if a task's Error ever kills it.
    AtomicReference<Thread> worker = new AtomicReference<>();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread created = new Thread(task, "bgservice-heartbeat-" + store.label());
              created.setDaemon(true);
              worker.set(created);
              return created;
            });
    pool.setRemoveOnCancelPolicy(true);
    thread = worker;
    long nanos = interval.toNanos();
    pool.scheduleWithFixedDelay(this::beatQuietly, 0, nanos, TimeUnit.NANOSECONDS);
    executor = pool;
  }

  /**
   * Stops beating and waits for a beat in progress to finish (at most a little longer than the
   * store's lock timeout), so that no beat is written after this returns. Does nothing if
   * stopped.
   */
  public void stop() {
    ScheduledExecutorService stopping;
    AtomicReference<Thread> worker;
    synchronized (this) {
      stopping = executor;
      worker = thread;
      executor = null;
      thread = null;
    }
    if (stopping == null) {
      return;
    }
    // No interrupt: a beat in progress finishes its write instead of leaving a temporary file.
    stopping.shutdown();
    boolean interrupted = false;
    try {
      if (!stopping.awaitTermination(
          store.lockTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        log.warn("heartbeat of '{}' did not finish its last beat; interrupting it", store.label());
        stopping.shutdownNow();
      }
      // The pool is terminated before its worker has quite exited; wait for that too.
      Thread last = worker.get();
      if (last != null) {
        last.join(5_000);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      stopping.shutdownNow();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the heartbeat is started. */
  public synchronized boolean isRunning() {
    return executor != null;
  }

  /**
   * Writes one beat now, on the calling thread, and returns the state written.
   *
   * @throws StateStoreException if the store cannot be written
   */
  public DesiredState beat() {
    long now = clock.millis();
    return store.update(
        state ->
            new DesiredState(
                state.desiredRunning(),
                state.lastStartConfig(),
                state.lastStartEpochMs(),
                OptionalLong.of(now),
                state.restartAttempt(),
                state.recoveryPending(),
                state.recoveryReason()));
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private void beatQuietly() {
    try {
      beat();
      synchronized (this) {
        if (failing) {
          log.info("heartbeat of '{}' is written again", store.label());
        }
        failing = false;
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; log and keep beating.
      boolean first;
      synchronized (this) {
        first = !failing;
        failing = true;
      }
      if (first) {
        log.warn("heartbeat of '{}' could not be written: {}", store.label(), e.getMessage());
      } else {
        log.debug("heartbeat of '{}' could not be written", store.label(), e);
      }
    }
  }
}
