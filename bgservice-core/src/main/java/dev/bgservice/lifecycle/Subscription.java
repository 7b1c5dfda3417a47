package dev.bgservice.lifecycle;

/** A listener registration; closing it stops delivery. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Unsubscribes; events not yet delivered are dropped. */
  @Override
  void close();
}
