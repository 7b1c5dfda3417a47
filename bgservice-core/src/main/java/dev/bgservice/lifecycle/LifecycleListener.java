package dev.bgservice.lifecycle;

/**
 * Receives a {@link LifecycleManager}'s events. Each listener gets them one at a time, in order,
 * on the executor it subscribed with, never while the manager holds its lock. A listener that
 * throws is logged and keeps its subscription; other listeners are not affected.
 */
@FunctionalInterface
public interface LifecycleListener {

  /** Called for every event, starting with a {@link LifecycleEvent.Snapshot}. */
  void onEvent(LifecycleEvent event);
}
