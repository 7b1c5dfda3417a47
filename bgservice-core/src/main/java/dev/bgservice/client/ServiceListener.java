package dev.bgservice.client;

/**
 * Receives a {@link ServiceClient}'s events, one at a time and in order, on the executor it was
 * subscribed with. A listener that throws is logged and stays subscribed.
 */
public interface ServiceListener {

  /** A service event. */
  void onEvent(ServiceEvent event);

  /** A connection change; an in-process client is always connected and never calls this. */
  default void onConnection(ConnectionEvent event) {}
}
