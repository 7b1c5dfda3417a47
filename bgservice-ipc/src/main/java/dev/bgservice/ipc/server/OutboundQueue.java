package dev.bgservice.ipc.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting to be written to one connection, drained by that connection's writer thread.
 *
 * <p>Two limits, a number of frames and a number of bytes, keep one slow client from costing the
 * sidecar unbounded memory, and neither ever blocks a producer other than the client's own reader:
 *
 * <ul>
 *   <li><b>Events</b> are offered without waiting: when {@code limit} event frames are already
 *       queued, or the event would take the queued bytes above {@code byteLimit}, {@link
 *       #offerEvent} refuses and the caller disconnects the client (an event cannot be held back,
 *       and the sidecar must not wait for a client). An event that finds the queue empty is always
 *       taken, however large.
 *   <li><b>Requests</b> are admitted by the connection's reader through {@link #awaitRequestSlot},
 *       which waits while {@code limit} requests are unanswered (in flight or answered but not yet
 *       written) or the queue holds {@code byteLimit} bytes. A client that sends faster than it
 *       reads is simply not read from, which delays only itself.
 * </ul>
 *
 * <p><b>Batches.</b> The writer takes frames in batches of up to {@code batchBytes} ({@link
 * #takeBatch}), so that one write carries many frames. Under a sustained stream of events it first
 * lingers up to {@code linger} for more to arrive: without that, a writer faster than the emitter
 * would wake up, and wake its client up, for nearly every event. It lingers only while nothing but
 * events is queued and only when events came fast before (the previous batch held more than one
 * frame, or was taken less than one linger ago), so a lone event or an answer is never delayed.
 *
 * <p><b>Who writes.</b> The writer owns the channel from {@link #takeBatch} until it asks for the
 * next batch. When nothing is queued and the writer is idle, the reader may instead claim the
 * channel for one answer ({@link #claimForAnswer}) and write it itself, saving the hand-over to the
 * writer thread; frames queued meanwhile wait until it releases the channel, so nothing ever
 * overtakes a frame queued before it.
 *
 * <p>The queue ends in one of two ways: {@link #finish} lets the writer drain what is queued and
 * then stop; {@link #close} drops everything and wakes every waiter at once.
 */
final class OutboundQueue {

  /** One frame to write. */
  record Item(ByteBuffer frame, long seq, boolean answersRequest) {
    /** The marker for "write an overflow event, then stop" (see {@link #overflow}). */
    static final Item OVERFLOW = new Item(null, NO_SEQ, false);

    /** The bytes this item adds to a batch. */
    int size() {
      return frame == null ? 0 : frame.remaining();
    }
  }

  /** The {@code seq} of an item that is not part of the event stream (a response, a base event). */
  static final long NO_SEQ = -1;

  private final int limit;
  private final long byteLimit;
  private final int batchBytes;
  private final long lingerNanos;
  private final ReentrantLock lock = new ReentrantLock();
  /** The writer waits on this: for frames, for the end, or for the reader to release the channel. */
  private final Condition writerWork = lock.newCondition();
  /** The reader waits on this for a request slot. */
  private final Condition requestSlot = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<Item> items = new ArrayDeque<>();
  private int queuedEvents;
  private long queuedBytes;
  private int unansweredRequests;
  private boolean writerHoldsChannel;
  private boolean readerHoldsChannel;
  private boolean finishing;
  private boolean closed;
  // The writer's previous batch: when it was taken and how many frames it held (0: none yet).
  private long lastBatchNanos;
  private int lastBatchSize;

  /**
   * A queue holding at most {@code limit} event frames and {@code byteLimit} bytes and admitting at
   * most {@code limit} unanswered requests, whose writer takes batches of up to {@code batchBytes}
   * and lingers up to {@code linger} for a fuller batch while events stream in.
   */
  OutboundQueue(int limit, long byteLimit, int batchBytes, Duration linger) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    if (byteLimit < 1) {
      throw new IllegalArgumentException("byteLimit must be at least 1: " + byteLimit);
    }
    if (batchBytes < 1) {
      throw new IllegalArgumentException("batchBytes must be at least 1: " + batchBytes);
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative: " + linger);
    }
    this.limit = limit;
    this.byteLimit = byteLimit;
    this.batchBytes = batchBytes;
    this.lingerNanos = linger.toNanos();
  }

  /**
   * Queues a live event frame unless that would exceed the frame or the byte limit.
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
      if (queuedEvents >= limit
          || (!items.isEmpty() && queuedBytes + frame.remaining() > byteLimit)) {
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
        writerWork.signal(); // ends a linger: answers never wait for more events
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lets the caller write one answer to a request admitted by {@link #awaitRequestSlot} straight to
   * the channel, if that cannot overtake anything: nothing is queued, the writer is not writing and
   * the queue is neither finishing nor closed. On true the caller owns the channel and must call
   * {@link #answerWritten} when done, whether the write worked or not; on false it queues the answer
   * with {@link #putResponse} as usual.
   */
  boolean claimForAnswer() {
    lock.lock();
    try {
      if (finishing
          || closed
          || writerHoldsChannel
          || readerHoldsChannel
          || !items.isEmpty()) {
        return false;
      }
      readerHoldsChannel = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back the channel claimed by {@link #claimForAnswer} and counts the request answered;
   * wakes the writer for whatever was queued meanwhile.
   */
  void answerWritten() {
    lock.lock();
    try {
      readerHoldsChannel = false;
      unansweredRequests--;
      if (!items.isEmpty() || finishing || closed) {
        writerWork.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until fewer than {@code limit} requests are unanswered and fewer than {@code byteLimit}
   * bytes are queued, then counts one more request.
   *
   * @return false once the queue is finishing or closed: stop reading requests
   * @throws InterruptedException if the reader is interrupted while waiting
   */
  boolean awaitRequestSlot() throws InterruptedException {
    lock.lock();
    try {
      while ((unansweredRequests >= limit || queuedBytes >= byteLimit) && !finishing && !closed) {
        requestSlot.await();
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
      requestSlot.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces everything queued by the overflow marker and finishes: the writer completes the batch
   * it is writing, writes an {@code overflow} event and stops.
   */
  void overflow() {
    lock.lock();
    try {
      if (finishing || closed) {
        return;
      }
      clear();
      items.add(Item.OVERFLOW);
      end();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops everything queued and finishes: the writer completes the batch it is writing and stops.
   */
  void discardAndFinish() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      clear();
      end();
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
      end();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back the channel if the writer held it, waits for frames to write (lingering for more
   * while events stream in, see the class comment) and moves them, in order, into {@code batch}
   * (which must be empty): as many as fit in the batch size, and at least one. Until its next call
   * the writer owns the channel.
   *
   * @return false when the writer should stop: the queue was closed, or it is finishing and drained
   *     (and no answer is being written by the reader)
   * @throws InterruptedException if the writer is interrupted while waiting
   */
  boolean takeBatch(List<Item> batch) throws InterruptedException {
    lock.lock();
    try {
      writerHoldsChannel = false;
      while (!closed && (readerHoldsChannel || (items.isEmpty() && !finishing))) {
        writerWork.await();
      }
      long now = System.nanoTime();
      if (lingerNanos > 0
          && lastBatchSize > 0
          && (lastBatchSize > 1 || now - lastBatchNanos < lingerNanos)) {
        linger();
      }
      if (closed || items.isEmpty()) {
        return false;
      }
      int bytes = 0;
      int answers = 0;
      Item item;
      while ((item = items.peek()) != null
          && (batch.isEmpty() || bytes + item.size() <= batchBytes)) {
        items.poll();
        batch.add(item);
        bytes += item.size();
        if (item.answersRequest()) {
          answers++;
        } else if (item != Item.OVERFLOW) {
          queuedEvents--;
        }
      }
      boolean wasOverBudget = queuedBytes >= byteLimit;
      queuedBytes -= bytes;
      unansweredRequests -= answers;
      if (answers > 0 || (wasOverBudget && queuedBytes < byteLimit)) {
        requestSlot.signal();
      }
      lastBatchNanos = now;
      lastBatchSize = batch.size();
      writerHoldsChannel = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to the linger time while only events are queued and they do not fill a batch yet.
   * Producers do not wake the writer for these events (only the first of a drained queue does), so
   * the wait ends early only for an answer, the end of the queue or a full batch. The reader cannot
   * claim the channel meanwhile, as frames are queued.
   */
  private void linger() throws InterruptedException {
    long left = lingerNanos;
    while (left > 0
        && !closed
        && !finishing
        && items.size() == queuedEvents
        && queuedBytes < batchBytes) {
      left = writerWork.awaitNanos(left);
    }
  }

  /** Drops everything and wakes the reader and the writer. Idempotent. */
  void close() {
    lock.lock();
    try {
      closed = true;
      clear();
      writerWork.signalAll();
      requestSlot.signalAll();
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
    long before = queuedBytes;
    queuedBytes += item.size();
    // The writer waits only while nothing is queued (or while the reader holds the channel, and
    // then the reader wakes it), so only the first frame after a drain needs to wake it; a
    // lingering writer is woken once a whole batch is there.
    if (items.size() == 1 || (before < batchBytes && queuedBytes >= batchBytes)) {
      writerWork.signal();
    }
  }

  private void clear() {
    items.clear();
    queuedEvents = 0;
    queuedBytes = 0;
  }

  private void end() {
    finishing = true;
    writerWork.signalAll();
    requestSlot.signalAll();
  }
}
