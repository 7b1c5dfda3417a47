package dev.bgservice.cli.bench;

import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One client's view of a {@link FloodService} run: counts the events, and checks that each {@code
 * n} arrives exactly once and in order, with no resync and no lost connection in between.
 * Written by the client's dispatch thread only; read after {@link #await} returned.
 */
final class Receiver implements ServiceListener {
  private final long expected;
  private final CountDownLatch complete = new CountDownLatch(1);

  private volatile long received;
  private volatile long outOfOrder;
  private volatile long resyncs;
  private volatile long disconnects;
  private volatile long firstNanos;
  private volatile long lastNanos;

  Receiver(long expected) {
    this.expected = expected;
  }

  @Override
  public void onEvent(ServiceEvent event) {
    if (event instanceof ServiceEvent.Custom custom && custom.name().equals(FloodService.EVENT)) {
      long now = System.nanoTime();
      long n = custom.payload().path("n").asLong();
      if (received == 0) {
        firstNanos = now;
      }
      if (n != received + 1) {
        outOfOrder++;
      }
      received++;
      lastNanos = now;
      if (n == expected) {
        complete.countDown();
      }
    } else if (event instanceof ServiceEvent.Resync) {
      resyncs++;
    }
  }

  @Override
  public void onConnection(ConnectionEvent event) {
    if (event.state() == ConnectionState.DISCONNECTED) {
      disconnects++;
      complete.countDown(); // a lost connection ends this receiver's run: it is already a failure
    }
  }

  /** Waits for the last event (or a lost connection); false on timeout. */
  boolean await(Duration timeout) throws InterruptedException {
    return complete.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** How this receiver's run went. */
  Delivery delivery() {
    long lost = expected - received;
    double seconds = (lastNanos - firstNanos) / 1e9;
    double rate = received > 1 && seconds > 0 ? (received - 1) / seconds : 0;
    return new Delivery(expected, received, Math.max(0, lost), outOfOrder, resyncs, disconnects,
        rate);
  }

  /**
   * @param expected events the service emitted
   * @param received events this client got
   * @param lost events it did not get
   * @param outOfOrder events that did not follow their predecessor
   * @param resyncs resyncs it was told of
   * @param disconnects connections it lost
   * @param eventsPerSecond rate from its first event to its last
   */
  record Delivery(long expected, long received, long lost, long outOfOrder, long resyncs,
      long disconnects, double eventsPerSecond) {
    boolean perfect() {
      return received == expected && lost == 0 && outOfOrder == 0 && resyncs == 0
          && disconnects == 0;
    }
  }
}
