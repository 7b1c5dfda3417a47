package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's own timer: order, cancellation, wake-ups, and no lost task under concurrency. */
class TimerSchedulerTest {

  private static final Duration AN_HOUR = Duration.ofHours(1);
  private static final long WAIT_SECONDS = 10;

  private final TimerScheduler timer = new TimerScheduler("timer-scheduler-test");

  @AfterEach
  void shutdown() {
    timer.shutdown(Duration.ofSeconds(5));
  }

  /** Blocks the timer thread until the returned latch is counted down. */
  private CountDownLatch hold() throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timer.schedule(
        Duration.ZERO,
        () -> {
          holding.countDown();
          await(release);
        });
    await(holding);
    return release;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("latch released").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEarlierTaskWakesTheThreadThatSleepsForALaterOne() {
    Scheduler.Cancellable later = timer.schedule(AN_HOUR, () -> {});
    CountDownLatch ran = new CountDownLatch(1);

    timer.schedule(Duration.ZERO, ran::countDown);

    await(ran);
    later.cancel();
  }

  @Test
  void tasksDueAtTheSameTimeRunInTheOrderTheyWereScheduled() throws InterruptedException {
    CountDownLatch release = hold();
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(1000);
    for (int i = 0; i < 1000; i++) {
      int index = i;
      timer.schedule(
          Duration.ZERO,
          () -> {
            order.add(index);
            done.countDown();
          });
    }
    release.countDown();

    await(done);
    assertThat(order).containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
  }

  @Test
  void aTaskDueLaterRunsAfterOneDueEarlierAndNotBeforeItsDelay() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(2);
    long scheduledAt = System.nanoTime();
    long[] secondRanAt = new long[1];
    timer.schedule(
        Duration.ofMillis(20),
        () -> {
          order.add("first");
          done.countDown();
        });
    timer.schedule(
        Duration.ofMillis(60),
        () -> {
          secondRanAt[0] = System.nanoTime();
          order.add("second");
          done.countDown();
        });

    await(done);
    assertThat(order).containsExactly("first", "second");
    assertThat(secondRanAt[0] - scheduledAt).isGreaterThanOrEqualTo(Duration.ofMillis(60).toNanos());
  }

  @Test
  void aTaskCancelledBeforeItStartedNeverRuns() throws InterruptedException {
    CountDownLatch release = hold();
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    List<Scheduler.Cancellable> tasks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int index = i;
      tasks.add(timer.schedule(Duration.ZERO, () -> ran.add(index)));
    }
    for (int i = 0; i < tasks.size(); i += 2) {
      tasks.get(i).cancel();
      tasks.get(i).cancel(); // idempotent
    }
    CountDownLatch last = new CountDownLatch(1);
    timer.schedule(Duration.ZERO, last::countDown);
    release.countDown();

    await(last);
    assertThat(ran)
        .containsExactlyElementsOf(IntStream.range(0, 1000).filter(i -> i % 2 == 1).boxed().toList());
  }

  @Test
  void schedulingTasksDueLaterThanTheWaitingOneDoesNotWakeTheThread() {
    Scheduler.Cancellable first = timer.schedule(AN_HOUR, () -> {});
    // The thread goes to sleep until the task an hour away.
    Awaitility.await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(timer::isSleeping);
    long before = timer.signals();

    for (int i = 0; i < 1000; i++) {
      timer.schedule(AN_HOUR.plusMinutes(1 + i), () -> {}).cancel();
    }
    assertThat(timer.signals()).isEqualTo(before);

    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(Duration.ZERO, ran::countDown);
    await(ran);
    assertThat(timer.signals()).isEqualTo(before + 1);
    first.cancel();
  }

  @Test
  void manySchedulesAndCancelsFromManyThreadsLoseNoTaskAndKeepTheQueueShort()
      throws InterruptedException {
    int threads = 8;
    int perThread = 5000;
    ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger cancelledRan = new AtomicInteger();
    CountDownLatch due = new CountDownLatch(threads * (perThread / 10));
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int worker = t;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  // A call: a deadline scheduled and cancelled when the answer comes.
                  timer.schedule(AN_HOUR, cancelledRan::incrementAndGet).cancel();
                  if (i % 10 == 0) {
                    int id = worker * perThread + i;
                    timer.schedule(
                        Duration.ZERO,
                        () -> {
                          runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                          due.countDown();
                        });
                  }
                }
              },
              "timer-test-worker-" + t);
      workers.add(thread);
      thread.start();
    }
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(worker.isAlive()).as("worker finished").isFalse();
    }

    await(due);
    assertThat(runs).hasSize(threads * (perThread / 10));
    assertThat(runs.values()).allMatch(count -> count.get() == 1);
    assertThat(cancelledRan).hasValue(0);
    // Every hour-long task was cancelled. Those cancelled after the thread last looked at the queue
    // stay until it wakes again, but sweeps keep them fewer than SWEEP_MIN (40,000 went through).
    assertThat(timer.queued()).isLessThan(TimerScheduler.SWEEP_MIN);
  }

  @Test
  void cancelledTasksAreSweptSoTheQueueStaysShort() throws InterruptedException {
    // Held, the thread cannot drop cancelled tasks at the head: only sweeps remove them.
    CountDownLatch release = hold();
    for (int i = 0; i < 10_000; i++) {
      timer.schedule(AN_HOUR, () -> {}).cancel();
      assertThat(timer.queued()).isLessThanOrEqualTo(TimerScheduler.SWEEP_MIN);
    }
    release.countDown();
  }

  @Test
  void aThrowingTaskDoesNotStopTheThread() {
    timer.schedule(
        Duration.ZERO,
        () -> {
          throw new IllegalStateException("thrown on purpose by the test");
        });
    CountDownLatch ran = new CountDownLatch(1);
    timer.schedule(Duration.ZERO, ran::countDown);

    await(ran);
  }

  @Test
  void shutdownDropsWaitingTasksEndsTheThreadAndIgnoresLaterOnes() throws InterruptedException {
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch release = hold();
    timer.schedule(Duration.ZERO, ran::incrementAndGet);
    Thread thread =
        Thread.getAllStackTraces().keySet().stream()
            .filter(timer::isTimerThread)
            .findFirst()
            .orElseThrow();
    // Shut down while the thread is held, so the waiting task cannot have started.
    Thread stopper = new Thread(() -> timer.shutdown(Duration.ofSeconds(WAIT_SECONDS)));
    stopper.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> timer.queued() == 0);
    release.countDown();
    stopper.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

    timer.schedule(Duration.ZERO, ran::incrementAndGet).cancel();
    timer.schedule(Duration.ZERO, ran::incrementAndGet);

    assertThat(stopper.isAlive()).isFalse();
    assertThat(thread.isAlive()).isFalse();
    assertThat(timer.queued()).isZero();
    assertThat(ran).hasValue(0);
  }
}
