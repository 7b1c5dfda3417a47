package dev.bgservice.cli.bench;

import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The service {@code bgs bench} runs in its sidecar to measure the event stream: emits {@code
 * count} events named {@value #EVENT} with payload {@code {"n": 1..count}}, then
 * waits to be stopped. Every receiver can check it got each {@code n} exactly once, in order.
 *
 * <p>Params: {@code count} (default 100,000) and {@code ratePerSecond} (default 0: as fast as
 * it can; a real service emits at some rate, and an unpaced flood outruns any reader, so the
 * bench offers a fixed rate and checks that all of it arrives).
 */
public final class FloodService implements BackgroundService {
  /** The name of the emitted events. */
  public static final String EVENT = "flood";

  /** How long the emitter rests between batches of due events when paced. */
  private static final long PACING_NANOS = 200_000;

  private long count = 100_000;
  private long ratePerSecond;

  /** For {@code bgs serve --service}. */
  public FloodService() {}

  @Override
  public void init(ServiceContext context) {
    long requested = context.config().params().path("count").asLong(count);
    if (requested < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + requested);
    }
    count = requested;
    long rate = context.config().params().path("ratePerSecond").asLong(0);
    if (rate < 0) {
      throw new IllegalArgumentException("ratePerSecond must not be negative: " + rate);
    }
    ratePerSecond = rate;
  }

  @Override
  public void run(ServiceContext context) throws InterruptedException {
    long begin = System.nanoTime();
    long n = 0;
    while (n < count && !context.shutdown().isCancelled()) {
      // Paced by elapsed time rather than by sleeping per event: a timer cannot wake up 100,000
      // times a second, so each wake-up emits every event that is due by now.
      long due = ratePerSecond == 0
          ? count
          : Math.min(count, (System.nanoTime() - begin) * ratePerSecond / 1_000_000_000L + 1);
      while (n < due) {
        n++;
        context.events().emit(EVENT, Map.of("n", n));
      }
      if (n < count) {
        LockSupport.parkNanos(PACING_NANOS);
      }
    }
    while (!context.shutdown().await(Duration.ofMinutes(1))) {
      // idle until stopped: the bench stops it once every receiver has counted
    }
  }
}
