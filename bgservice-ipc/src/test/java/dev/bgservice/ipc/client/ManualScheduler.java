package dev.bgservice.ipc.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Scheduler} whose time moves only when the test says so: tasks wait in a list with
 * their due time, and {@link #runNext()} advances the time to the earliest and runs it on the
 * test's thread. Every requested delay is recorded.
 */
final class ManualScheduler implements Scheduler {

  private final List<Task> tasks = new ArrayList<>();
  private final List<Duration> requestedDelays = new ArrayList<>();
  private Duration now = Duration.ZERO;
  private long order;

  private final class Task implements Cancellable {
    final Duration due;
    final long sequence;
    final Runnable body;
    boolean cancelled;

    Task(Duration due, long sequence, Runnable body) {
      this.due = due;
      this.sequence = sequence;
      this.body = body;
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable body) {
    requestedDelays.add(delay);
    Task task = new Task(now.plus(delay), order++, body);
    tasks.add(task);
    return task;
  }

  /** Every delay asked for so far, in order. */
  synchronized List<Duration> requestedDelays() {
    return List.copyOf(requestedDelays);
  }

  /** The time that has passed on this scheduler. */
  synchronized Duration now() {
    return now;
  }

  /** The delay of the earliest task still waiting, relative to now. */
  synchronized Optional<Duration> nextDelay() {
    return earliest().map(t -> t.due.minus(now));
  }

  /** How many tasks wait. */
  synchronized int pending() {
    return tasks.size();
  }

  /**
   * Advances the time to the earliest task and runs it (outside the scheduler's lock).
   *
   * @return the delay that passed, or empty when no task waits
   */
  Optional<Duration> runNext() {
    Task task;
    Duration passed;
    synchronized (this) {
      Optional<Task> next = earliest();
      if (next.isEmpty()) {
        return Optional.empty();
      }
      task = next.get();
      tasks.remove(task);
      passed = task.due.minus(now);
      now = task.due;
    }
    task.body.run();
    return Optional.of(passed);
  }

  private Optional<Task> earliest() {
    return tasks.stream()
        .min(Comparator.<Task, Duration>comparing(t -> t.due).thenComparingLong(t -> t.sequence));
  }
}
