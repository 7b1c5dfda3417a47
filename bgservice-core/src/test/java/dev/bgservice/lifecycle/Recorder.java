package dev.bgservice.lifecycle;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A listener that keeps every event it gets, for assertions. */
final class Recorder implements LifecycleListener {
  private final List<LifecycleEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(LifecycleEvent event) {
    events.add(event);
  }

  synchronized List<LifecycleEvent> events() {
    return List.copyOf(events);
  }

  <T extends LifecycleEvent> List<T> ofType(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Waits until an event matching {@code test} arrived and returns the first such. */
  LifecycleEvent awaitEvent(Predicate<LifecycleEvent> test) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events().stream().anyMatch(test));
    return events().stream().filter(test).findFirst().orElseThrow();
  }

  LifecycleEvent.Terminal awaitTerminal(long generation) {
    return (LifecycleEvent.Terminal)
        awaitEvent(e -> e instanceof LifecycleEvent.Terminal && e.generation() == generation);
  }
}
