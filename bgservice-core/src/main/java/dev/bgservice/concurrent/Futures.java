package dev.bgservice.concurrent;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.ServiceTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns the futures of the asynchronous API into the blocking API's results and exceptions. */
public final class Futures {

  private Futures() {}

  /**
   * Waits for {@code future} at most {@code timeout} and returns its value. A {@link
   * BgServiceException} it failed with is rethrown as is; other failures are wrapped.
   *
   * @param what names the operation in a timeout message, e.g. "service init"
   * @throws ServiceTimeoutException if the future is not done in time (it is not cancelled)
   * @throws BgServiceException with code {@code internal} if the thread is interrupted (the
   *     interrupt flag is restored)
   */
  public static <T> T await(Future<T> future, Duration timeout, String what) {
    if (!WAITS_ITS_OWN_WAY.get(future.getClass())) {
      spinBriefly(future);
    }
    try {
      return future.get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ServiceTimeoutException(what + " did not complete within " + format(timeout));
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (CancellationException e) {
      throw new BgServiceException(ErrorCode.INTERNAL, what + " was cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BgServiceException(ErrorCode.INTERNAL, "interrupted while waiting for " + what, e);
    }
  }

  /**
   * How long a blocking wait spins before it parks. A local round trip takes tens of microseconds,
   * and waking a parked thread costs a good part of that (on a virtual machine an idle CPU must be
   * woken too): measured with {@code bgs bench}, spinning this long cut the median {@code
   * isRunning} round trip from about 38 to 21 us. Never on one CPU, where spinning would only
   * delay the thread that completes the future.
   */
  private static final long SPIN_NANOS =
      Runtime.getRuntime().availableProcessors() > 1 ? TimeUnit.MICROSECONDS.toNanos(50) : 0;

  /**
   * How long a thread waiting for a result that is likely to come within microseconds may spin
   * before it parks: {@code 50 us} on a machine with more than one CPU, else 0. Waits that spin in
   * their own way (a client reading its own answer off the socket) use the same budget.
   */
  public static long spinNanos() {
    return SPIN_NANOS;
  }

  /**
   * Whether futures of a class wait in their own way: a {@link CompletableFuture} subclass that
   * overrides the timed {@code get} (a client's call that reads its own answer does). Spinning on
   * {@code isDone} first would only delay that.
   */
  private static final ClassValue<Boolean> WAITS_ITS_OWN_WAY =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          if (!CompletableFuture.class.isAssignableFrom(type)) {
            return false;
          }
          try {
            return type.getMethod("get", long.class, TimeUnit.class).getDeclaringClass()
                != CompletableFuture.class;
          } catch (NoSuchMethodException e) {
            throw new AssertionError("every Future has a timed get", e);
          }
        }
      };

  private static void spinBriefly(Future<?> future) {
    if (SPIN_NANOS == 0 || future.isDone()) {
      return;
    }
    long end = System.nanoTime() + SPIN_NANOS;
    while (!future.isDone() && System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  /** The library exception behind a future's failure, or a wrapper for any other failure. */
  public static RuntimeException unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new BgServiceException(
        ErrorCode.INTERNAL, cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
  }

  /** A duration in nanoseconds, saturating at {@code Long.MAX_VALUE}. */
  public static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** A short human form of a duration: {@code 250 ms}, {@code 10 s}, {@code 1.5 s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return millis % 1000 == 0 ? (millis / 1000) + " s" : (millis / 1000.0) + " s";
  }
}
