package dev.bgservice.ipc.client;

import dev.bgservice.concurrent.Futures;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own {@link Scheduler}: one daemon thread running tasks by due time, ended by {@link
 * #shutdown}.
 *
 * <p>Made for the client's traffic, where nearly every task is the deadline of a call: due later
 * than every task already waiting, and cancelled long before it is due, because the answer came.
 * So neither scheduling nor cancelling such a task wakes the thread:
 *
 * <ul>
 *   <li>scheduling wakes it only when the new task is due before the time it sleeps until;
 *   <li>cancelling only marks the task. Marked tasks are dropped when they come to the head of the
 *       queue, before the thread decides how long to sleep, so it never wakes up for one it knew
 *       was cancelled; and in one sweep once they are the majority of a long queue, which bounds
 *       the memory a stream of calls holds.
 * </ul>
 *
 * <p>Tasks due at the same time run in the order they were scheduled. A task that throws is logged
 * and does not stop the thread.
 */
final class TimerScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(TimerScheduler.class);

  /** Delays are capped here, so that due times can be compared by subtraction without overflow. */
  private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

  /** Below this many cancelled tasks a sweep is not worth it: they leave at the head. */
  static final int SWEEP_MIN = 256;

  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the thread must look at the queue again: an earlier task, or shutdown. */
  private final Condition wakeUp = lock.newCondition();

  // Guarded by lock.
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private int cancelledInQueue;
  private boolean shutdown;
  /** Whether the thread waits (and will not look at the queue before it is woken or due). */
  private boolean sleeping;
  /** While sleeping: whether with a time limit, and the nanoTime it sleeps until. */
  private boolean sleepingTimed;
  private long sleepingUntil;
  private long signals;

  private volatile Thread thread;

  /** A scheduler whose thread, started with the first task, is named {@code threadName}. */
  TimerScheduler(String threadName) {
    this.threadName = threadName;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    long due = System.nanoTime() + Math.min(Futures.saturatedNanos(delay), MAX_DELAY_NANOS);
    lock.lock();
    try {
      if (shutdown) {
        // The client is closing: nothing is to run any more.
        return () -> {};
      }
      Task scheduled = new Task(due, sequence++, task);
      queue.add(scheduled);
      if (thread == null) {
        start();
      } else if (sleeping && (!sleepingTimed || due - sleepingUntil < 0)) {
        sleeping = false; // later tasks need not signal again: the thread will look at the queue
        signals++;
        wakeUp.signal();
      }
      return scheduled;
    } finally {
      lock.unlock();
    }
  }

  private void start() {
    Thread created = new Thread(this::loop, threadName);
    created.setDaemon(true);
    thread = created;
    created.start();
  }

  /**
   * Stops the thread, dropping tasks not yet started, and waits a bounded time for it to end
   * (unless called from it). Nothing is interrupted: tasks are short.
   */
  void shutdown(Duration wait) {
    lock.lock();
    try {
      shutdown = true;
      queue.clear();
      cancelledInQueue = 0;
      wakeUp.signal();
    } finally {
      lock.unlock();
    }
    Thread timer = thread;
    if (timer != null) {
      Threads.join(timer, wait);
    }
  }

  /** Whether {@code candidate} is this scheduler's thread. */
  boolean isTimerThread(Thread candidate) {
    return candidate == thread;
  }

  /** How many times scheduling woke the thread; for tests. */
  long signals() {
    lock.lock();
    try {
      return signals;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the thread waits for a task to come due (or to be scheduled); for tests. */
  boolean isSleeping() {
    lock.lock();
    try {
      return sleeping;
    } finally {
      lock.unlock();
    }
  }

  /** How many tasks are queued, cancelled ones included; for tests. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      Task next = takeNext();
      if (next == null) {
        return;
      }
      try {
        next.body.run();
      } catch (RuntimeException | Error e) {
        // A throwing task must not kill the only timer thread of the client.
        log.error("client timer task failed", e);
      }
    }
  }

  /** Waits for the next task that is due and not cancelled; null after shutdown. */
  private Task takeNext() {
    lock.lock();
    try {
      while (!shutdown) {
        Task head = queue.peek();
        while (head != null && head.cancelled) {
          queue.poll();
          cancelledInQueue--;
          head = queue.peek();
        }
        long left = head == null ? 0 : head.due - System.nanoTime();
        if (head != null && left <= 0) {
          queue.poll();
          head.started = true;
          return head;
        }
        sleeping = true;
        sleepingTimed = head != null;
        sleepingUntil = head == null ? 0 : head.due;
        try {
          if (head == null) {
            wakeUp.await();
          } else {
            wakeUp.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          // Nobody interrupts this thread; if someone does, it looks at the queue again.
        }
        sleeping = false;
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Drops every cancelled task in one pass, when they are most of a long queue. */
  private void sweepIfWorthItLocked() {
    if (cancelledInQueue >= SWEEP_MIN && cancelledInQueue * 2 > queue.size()) {
      queue.removeIf(task -> task.cancelled);
      cancelledInQueue = 0;
    }
  }

  private final class Task implements Cancellable, Comparable<Task> {
    final long due;
    final long sequence;
    final Runnable body;
    // Guarded by lock.
    boolean cancelled;
    boolean started;

    Task(long due, long sequence, Runnable body) {
      this.due = due;
      this.sequence = sequence;
      this.body = body;
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        if (cancelled || started || shutdown) {
          return;
        }
        cancelled = true;
        cancelledInQueue++;
        sweepIfWorthItLocked();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int compareTo(Task other) {
      long difference = due - other.due;
      if (difference != 0) {
        return difference < 0 ? -1 : 1;
      }
      return Long.compare(sequence, other.sequence);
    }
  }
}
