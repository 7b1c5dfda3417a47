package dev.bgservice.ipc.client;

import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records what it gets, and on which threads. */
final class Recorder implements ServiceListener {
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final List<ConnectionEvent> connections = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(ServiceEvent event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  @Override
  public void onConnection(ConnectionEvent event) {
    connections.add(event);
  }

  /** The seq of every event that is not a resync, in order. */
  List<Long> seqs() {
    return events.stream()
        .filter(e -> !(e instanceof ServiceEvent.Resync))
        .map(ServiceEvent::seq)
        .toList();
  }

  /** The recorded connection states, in order. */
  List<ConnectionState> states() {
    return connections.stream().map(ConnectionEvent::state).toList();
  }

  <T extends ServiceEvent> List<T> eventsOf(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
