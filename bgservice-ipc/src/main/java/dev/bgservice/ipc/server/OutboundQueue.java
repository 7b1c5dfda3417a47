package dev.bgservice.ipc.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting to be written to one connection, drained by that connection's writer thread.
 *
 * <p>Two limits keep one slow client from costing the sidecar unbounded memory, and neither ever
 * blocks a producer other than the client's own reader:
 *
 * <ul>
 *   <li><b>Events</b> are offered without waiting: when {@code limit} event frames are already
 *       queued, {@link #offerEvent} refuses and the caller disconnects the client (an event cannot
 *       be held back, and the sidecar must not wait for a client).
 *   <li><b>Requests</b> are admitted by the connection's reader through {@link #awaitRequestSlot},
 *       which waits while {@code limit} requests are unanswered (in flight or answered but not yet
 *       taken by the writer). A client that sends faster than it reads is simply not read from,
 *       which delays only itself.
 * </ul>
 *
 * <p>The queue ends in one of two ways: {@link #finish} lets the writer drain what is queued and
 * then stop; {@link #close} drops everything and wakes every waiter at once.
 */
final class OutboundQueue {

  /** One frame to write. */
  record Item(ByteBuffer frame, long seq, boolean answersRequest) {
    /** The marker for "write an overflow event, then stop" (see {@link #overflow}). */
    static final Item OVERFLOW = new Item(null, NO_SEQ, false);
  }

  /** The {@code seq} of an item that is not part of the event stream (a response, a base event). */
  static final long NO_SEQ = -1;

  private final int limit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<Item> items = new ArrayDeque<>();
  private int queuedEvents;
  private int unansweredRequests;
  private boolean finishing;
  private boolean closed;

  /**
   * A queue holding at most {@code limit} event frames and admitting at most {@code limit}
   * unanswered requests.
   */
  OutboundQueue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.limit = limit;
  }

  /**
   * Queues a live event frame unless the event limit is reached.
   *
   * @param seq the event's sequence number, or {@link #NO_SEQ} for a base-protocol frame
   * @return false when the queue is full: the caller must disconnect the client. True also when the
   *     queue is finishing or closed and the frame was dropped, since that client is leaving
   *     anyway.
   */
  boolean offerEvent(ByteBuffer frame, long seq) {
    lock.lock();
    try {
      if (finishing || closed) {
        return true;
      }
      if (queuedEvents >= limit) {
        return false;
      }
      add(new Item(frame, seq, false));
      queuedEvents++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues an event frame whatever the limit: replayed events and the per-connection {@code
   * resync}, whose number is bounded by the replay buffer.
   */
  void putEvent(ByteBuffer frame, long seq) {
    lock.lock();
    try {
      if (!finishing && !closed) {
        add(new Item(frame, seq, false));
        queuedEvents++;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues the answer to a request admitted by {@link #awaitRequestSlot}. Dropped when the queue is
   * closed, or finishing after a protocol violation or an overflow.
   *
   * @param seq the event position the answer reports ({@code hello}), else {@link #NO_SEQ}
   */
  void putResponse(ByteBuffer frame, long seq) {
    lock.lock();
    try {
      if (!finishing && !closed) {
        add(new Item(frame, seq, true));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until fewer than {@code limit} requests are unanswered, then counts one more.
   *
   * @return false once the queue is finishing or closed: stop reading requests
   * @throws InterruptedException if the reader is interrupted while waiting
   */
  boolean awaitRequestSlot() throws InterruptedException {
    lock.lock();
    try {
      while (unansweredRequests >= limit && !finishing && !closed) {
        changed.await();
      }
      if (finishing || closed) {
        return false;
      }
      unansweredRequests++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back a slot taken by {@link #awaitRequestSlot} for a request that gets no answer. */
  void releaseRequestSlot() {
    lock.lock();
    try {
      unansweredRequests--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces everything queued by the overflow marker and finishes: the writer completes the frame
   * it is writing, writes an {@code overflow} event and stops.
   */
  void overflow() {
    lock.lock();
    try {
      if (finishing || closed) {
        return;
      }
      items.clear();
      queuedEvents = 0;
      items.add(Item.OVERFLOW);
      finishing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops everything queued and finishes: the writer completes the frame it is writing and stops.
   */
  void discardAndFinish() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      items.clear();
      queuedEvents = 0;
      finishing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a last frame, if given, and finishes: the writer drains what is queued and stops. Later
   * frames are dropped. Idempotent; a queue already finishing keeps its contents and ignores {@code
   * last}.
   */
  void finish(Optional<ByteBuffer> last) {
    lock.lock();
    try {
      if (finishing || closed) {
        return;
      }
      last.ifPresent(frame -> add(new Item(frame, NO_SEQ, false)));
      finishing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next frame to write, waiting for one.
   *
   * @return empty when the writer should stop: the queue was closed, or it is finishing and drained
   * @throws InterruptedException if the writer is interrupted while waiting
   */
  Optional<Item> take() throws InterruptedException {
    lock.lock();
    try {
      while (items.isEmpty() && !finishing && !closed) {
        changed.await();
      }
      if (closed || items.isEmpty()) {
        return Optional.empty();
      }
      Item item = items.poll();
      if (item.answersRequest()) {
        unansweredRequests--;
        changed.signalAll();
      } else if (item != Item.OVERFLOW) {
        queuedEvents--;
      }
      return Optional.of(item);
    } finally {
      lock.unlock();
    }
  }

  /** Drops everything and wakes the reader and the writer. Idempotent. */
  void close() {
    lock.lock();
    try {
      closed = true;
      items.clear();
      queuedEvents = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How many event frames are queued now. */
  int queuedEvents() {
    lock.lock();
    try {
      return queuedEvents;
    } finally {
      lock.unlock();
    }
  }

  private void add(Item item) {
    items.add(item);
    changed.signalAll();
  }
}
