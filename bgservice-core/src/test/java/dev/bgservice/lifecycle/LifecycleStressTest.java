package dev.bgservice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.StartConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of start/stop calls from several threads against services that finish, fail or
 * ignore cancellation, then checks the invariants on the event stream and the final state.
 */
class LifecycleStressTest {
  private static final int THREADS = 4;
  private static final int OPS_PER_THREAD = 750;

  @TempDir Path tmp;

  @Test
  void invariantsHoldUnderConcurrentStartsAndStops() throws Exception {
    AtomicInteger concurrentRuns = new AtomicInteger();
    AtomicInteger maxConcurrentRuns = new AtomicInteger();
    AtomicInteger kind = new AtomicInteger();
    LifecycleManager manager =
        LifecycleManager.builder(
                "stress",
                () -> counting(pick(kind.getAndIncrement()), concurrentRuns, maxConcurrentRuns))
            .dataDirectory(tmp)
            .stopGrace(Duration.ofSeconds(5))
            .build();
    Recorder recorder = new Recorder();
    manager.subscribe(recorder);

    AtomicInteger starts = new AtomicInteger();
    AtomicInteger refusedStarts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 1234L + t;
      futures.add(
          pool.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < OPS_PER_THREAD; i++) {
                  int op = random.nextInt(10);
                  try {
                    if (op < 5) {
                      RunHandle handle = manager.start(StartConfig.defaults());
                      starts.incrementAndGet();
                      if (op == 0) {
                        // Pace some starts so that runs also get past init, not only stopped in it.
                        handle.initialized().handle((ok, failed) -> null).get(10, TimeUnit.SECONDS);
                      }
                    } else if (op < 9) {
                      manager.stopAsync(StopReason.USER_STOP, Duration.ofMillis(random.nextInt(5)));
                    } else {
                      manager.stop(StopReason.USER_STOP, Duration.ofMillis(2));
                    }
                  } catch (AlreadyRunningException e) {
                    refusedStarts.incrementAndGet();
                  } catch (NotRunningException e) {
                    // expected when the run ended on its own or was stopped by another thread
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    if (manager.isRunning()) {
      try {
        manager.stop(StopReason.USER_STOP, Duration.ofSeconds(5));
      } catch (NotRunningException endedMeanwhile) {
        // fine
      }
    }
    long generations = manager.snapshot().generation();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> recorder.ofType(LifecycleEvent.Terminal.class).size() == generations);

    assertThat(generations).isEqualTo(starts.get()).isGreaterThan(100);
    assertThat(refusedStarts.get()).isPositive();
    assertThat(maxConcurrentRuns.get()).as("runs executing at once").isEqualTo(1);
    assertEventStreamInvariants(recorder.events(), generations);
    StateSnapshot last = manager.snapshot();
    assertThat(last.state()).isIn(LifecycleState.STOPPED, LifecycleState.FAILED);
    assertThat(last.state().isActive()).isFalse();
    manager.close();
  }

  private static void assertEventStreamInvariants(List<LifecycleEvent> events, long generations) {
    Map<Long, Integer> terminals = new HashMap<>();
    Map<Long, Integer> starteds = new HashMap<>();
    long active = 0; // generation of the run that has started and not ended; 0 for none
    long lastGeneration = 0;
    for (LifecycleEvent event : events) {
      if (event instanceof LifecycleEvent.StateChanged change
          && change.to() == LifecycleState.STARTING) {
        assertThat(active).as("a run started while run %d was active", active).isZero();
        assertThat(change.generation()).isEqualTo(lastGeneration + 1);
        active = change.generation();
        lastGeneration = active;
      } else if (event instanceof LifecycleEvent.Started started) {
        assertThat(started.generation()).isEqualTo(active);
        assertThat(terminals).doesNotContainKey(started.generation());
        starteds.merge(started.generation(), 1, Integer::sum);
      } else if (event instanceof LifecycleEvent.Terminal terminal) {
        assertThat(terminal.generation()).isEqualTo(active);
        terminals.merge(terminal.generation(), 1, Integer::sum);
        active = 0;
      } else if (event instanceof LifecycleEvent.StateChanged change) {
        assertThat(change.generation()).isEqualTo(active == 0 ? lastGeneration : active);
      }
    }
    assertThat(lastGeneration).isEqualTo(generations);
    assertThat(terminals).hasSize((int) generations);
    assertThat(terminals.values()).allMatch(count -> count == 1);
    assertThat(starteds.values()).allMatch(count -> count == 1);
  }

  /** Cycles through finishing, failing, cooperative and token-ignoring services. */
  private static BackgroundService pick(int n) {
    return switch (n % 5) {
      case 0 -> TestServices.finishing();
      case 1 -> TestServices.failingRun("planned failure " + n);
      case 2 -> TestServices.failingInit("planned init failure " + n);
      case 3 -> TestServices.ignoresTokenHonoursInterrupt();
      default -> TestServices.cooperative();
    };
  }

  private static BackgroundService counting(
      BackgroundService service, AtomicInteger concurrent, AtomicInteger max) {
    return new BackgroundService() {
      @Override
      public void init(dev.bgservice.service.ServiceContext context) throws Exception {
        service.init(context);
      }

      @Override
      public void run(dev.bgservice.service.ServiceContext context) throws Exception {
        max.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
          service.run(context);
        } finally {
          concurrent.decrementAndGet();
        }
      }
    };
  }

  @Test
  void uncooperativeRunsNeverBlockStopsOrNewStarts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LifecycleManager manager =
        LifecycleManager.builder("stubborn", () -> TestServices.uncooperative(release))
            .dataDirectory(tmp)
            .stopGrace(Duration.ofMillis(20))
            .build();
    Recorder recorder = new Recorder();
    manager.subscribe(recorder);
    try {
      for (int i = 1; i <= 20; i++) {
        manager.startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));
        assertThat(manager.stop(StopReason.USER_STOP, Duration.ofMillis(10)))
            .isEqualTo(new LifecycleEvent.Stopped(i, StopReason.STOP_TIMEOUT));
      }
      release.countDown();
      assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.FAILED);
      assertEventStreamInvariants(recorder.events(), 20);
    } finally {
      release.countDown();
      manager.close();
    }
  }
}
