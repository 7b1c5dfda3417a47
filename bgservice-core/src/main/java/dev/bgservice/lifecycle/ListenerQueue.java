package dev.bgservice.lifecycle;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's pending events. Events are enqueued in order while the manager holds its lock
 * and drained later, outside the lock, by at most one task at a time on the listener's executor:
 * so each listener sees every event in order, and a slow or throwing one affects only itself.
 */
final class ListenerQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ListenerQueue.class);

  private final LifecycleListener listener;
  private final Executor executor;
  private final Queue<LifecycleEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  ListenerQueue(LifecycleListener listener, Executor executor) {
    this.listener = listener;
    this.executor = executor;
  }

  void enqueue(LifecycleEvent event) {
    if (!closed) {
      pending.add(event);
    }
  }

  /** Starts a drain on the executor unless one is already under way. */
  void dispatch() {
    if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining.set(false);
      log.warn("listener executor rejected delivery; dropping {} events", pending.size(), e);
      pending.clear();
    }
  }

  private void drain() {
    while (true) {
      LifecycleEvent event;
      while ((event = pending.poll()) != null) {
        if (closed) {
          pending.clear();
          break;
        }
        try {
          listener.onEvent(event);
        } catch (RuntimeException | Error e) {
          log.warn("lifecycle listener {} threw on {}; ignoring it", listener, event, e);
        }
      }
      draining.set(false);
      // An event may have been enqueued after the last poll and before the flag was cleared.
      if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    pending.clear();
  }
}
