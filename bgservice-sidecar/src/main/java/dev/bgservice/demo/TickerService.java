package dev.bgservice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo service shipped with the product: emits a {@code tick} event with a counter every
 * {@code intervalMs} (default 1000). Params for trying failure handling:
 *
 * <ul>
 *   <li>{@code failInitWith}: {@code init} throws with this message;
 *   <li>{@code failAfterTicks}: {@code run} throws after this many ticks;
 *   <li>{@code exitAfterTicks}: {@code run} returns normally after this many ticks;
 *   <li>{@code ignoreCancel}: {@code run} ignores the shutdown token (only an interrupt, or
 *       abandonment, ends it).
 * </ul>
 */
public final class TickerService implements BackgroundService {

  /** Default interval between ticks. */
  public static final long DEFAULT_INTERVAL_MS = 1000;

  private long intervalMs = DEFAULT_INTERVAL_MS;
  private long failAfterTicks = -1;
  private long exitAfterTicks = -1;
  private boolean ignoreCancel;

  @Override
  public void init(ServiceContext context) {
    ObjectNode params = context.config().params();
    String failInitWith = text(params, "failInitWith");
    if (failInitWith != null) {
      throw new IllegalStateException(failInitWith);
    }
    intervalMs = positiveLong(params, "intervalMs", DEFAULT_INTERVAL_MS);
    failAfterTicks = positiveLong(params, "failAfterTicks", -1);
    exitAfterTicks = positiveLong(params, "exitAfterTicks", -1);
    ignoreCancel = params.path("ignoreCancel").asBoolean(false);
  }

  @Override
  public void run(ServiceContext context) throws InterruptedException {
    Duration interval = Duration.ofMillis(intervalMs);
    long count = 0;
    while (true) {
      if (ignoreCancel) {
        // Deliberately deaf to the token; still ends on interrupt so the JVM can exit.
        LockSupport.parkNanos(interval.toNanos());
        if (Thread.interrupted()) {
          throw new InterruptedException("ticker interrupted");
        }
      } else if (context.shutdown().await(interval)) {
        return;
      }
      count++;
      context.events().emit("tick", Map.of("count", count));
      if (count == failAfterTicks) {
        throw new IllegalStateException("failing after " + count + " ticks, as asked");
      }
      if (count == exitAfterTicks) {
        return;
      }
    }
  }

  private static String text(ObjectNode params, String name) {
    JsonNode value = params.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static long positiveLong(ObjectNode params, String name, long fallback) {
    JsonNode value = params.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToLong() || value.asLong() <= 0) {
      throw new IllegalArgumentException(
          "param " + name + " must be a positive integer, got " + value);
    }
    return value.asLong();
  }
}
