package dev.bgservice.concurrent;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's pending items, delivered in order on the listener's executor by at most one
 * task at a time. Producers {@link #enqueue} (typically while holding their own lock, which
 * fixes the order) and later {@link #dispatch} outside it; so each listener sees every item in
 * order, never under the producer's lock, and a slow or throwing listener affects only itself.
 *
 * @param <T> the item type
 */
public final class SerialQueue<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SerialQueue.class);

  private final Consumer<? super T> listener;
  private final Executor executor;
  private final Queue<T> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean closed;

  /** A queue delivering to {@code listener} on {@code executor}. */
  public SerialQueue(Consumer<? super T> listener, Executor executor) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** Adds an item to deliver; ignored once closed. Does not deliver: call {@link #dispatch}. */
  public void enqueue(T item) {
    if (!closed) {
      pending.add(item);
    }
  }

  /** Starts a drain on the executor unless one is already under way or nothing is pending. */
  public void dispatch() {
    if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining.set(false);
      log.warn("listener executor rejected delivery; dropping {} items", pending.size(), e);
      pending.clear();
    }
  }

  private void drain() {
    while (true) {
      T item;
      while ((item = pending.poll()) != null) {
        if (closed) {
          pending.clear();
          break;
        }
        try {
          listener.accept(item);
        } catch (RuntimeException | Error e) {
          log.warn("listener {} threw on {}; ignoring it", listener, item, e);
        }
      }
      draining.set(false);
      // An event may have been enqueued after the last poll and before the flag was cleared.
      if (pending.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  /** Stops delivery; pending items are dropped. Idempotent. */
  @Override
  public void close() {
    closed = true;
    pending.clear();
  }
}
