package dev.bgservice.ipc.client;

import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.concurrent.SerialQueue;
import java.util.concurrent.Executor;

/**
 * One subscriber's deliveries, service events and connection events in one order, on the
 * subscriber's executor. Enqueue under the client's lock (which fixes the order), dispatch after
 * releasing it.
 */
final class ListenerQueue {
  private final SerialQueue<Object> queue;

  ListenerQueue(ServiceListener listener, Executor executor) {
    this.queue =
        new SerialQueue<>(
            item -> {
              if (item instanceof ServiceEvent) {
                listener.onEvent((ServiceEvent) item);
              } else {
                listener.onConnection((ConnectionEvent) item);
              }
            },
            executor);
  }

  void enqueue(ServiceEvent event) {
    queue.enqueue(event);
  }

  void enqueue(ConnectionEvent event) {
    queue.enqueue(event);
  }

  void dispatch() {
    queue.dispatch();
  }

  void close() {
    queue.close();
  }
}
