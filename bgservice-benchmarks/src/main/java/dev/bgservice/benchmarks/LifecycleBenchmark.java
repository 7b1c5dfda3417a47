package dev.bgservice.benchmarks;

import dev.bgservice.lifecycle.LifecycleEvent;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One run of a trivial service through the {@link LifecycleManager}: start and wait for {@code
 * init}, then stop and wait for {@code run} to return ({@code startAndWait} + {@code stop}). The
 * service's {@code run} only waits for its shutdown token.
 *
 * <p>Baselines, in the same run: starting and joining a plain thread that does nothing (the
 * thread the manager gives every run), and the same thread with the handshake a run has (the
 * caller waits until it runs, then tells it to stop and joins it): the manager's own cost is the
 * difference to the second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LifecycleBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Runnable NOTHING = () -> {};

  private Workspace workspace;
  private LifecycleManager manager;

  /** Builds the manager of the trivial service, with its data directory in a workspace. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    QuietLogs.apply();
    workspace = Workspace.create();
    manager =
        LifecycleManager.builder("bench-lifecycle", WaitForStop::new)
            .dataDirectory(workspace.resolve("data"))
            .defaultStopTimeout(TIMEOUT)
            .build();
  }

  /** Closes the manager and deletes the workspace. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Closer.closeAll(manager, workspace);
  }

  /** The product: start a run, wait for {@code init}, stop it and wait for its end. */
  @Benchmark
  public LifecycleEvent.Terminal startStop() {
    manager.startAndWait(StartConfig.defaults(), TIMEOUT);
    return manager.stop();
  }

  /** Baseline: start a thread that does nothing and join it. */
  @Benchmark
  public Thread baselineThreadStartJoin() throws InterruptedException {
    Thread thread = new Thread(NOTHING, "bench-plain");
    thread.start();
    thread.join();
    return thread;
  }

  /**
   * Baseline: start a thread, wait until it runs, tell it to stop and join it: the two
   * hand-overs of a run, with nothing else.
   */
  @Benchmark
  public Thread baselineThreadHandshake() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch stop = new CountDownLatch(1);
    Thread thread =
        new Thread(
            () -> {
              running.countDown();
              try {
                stop.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bench-handshake");
    thread.start();
    if (!running.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the baseline thread did not start");
    }
    stop.countDown();
    thread.join();
    return thread;
  }

  /** The trivial service: {@code run} waits for its shutdown token and returns. */
  public static final class WaitForStop implements BackgroundService {
    /** For the manager's factory. */
    public WaitForStop() {}

    @Override
    public void run(ServiceContext context) throws InterruptedException {
      while (!context.shutdown().await(Duration.ofMinutes(1))) {
        // idle until stopped
      }
    }
  }
}
