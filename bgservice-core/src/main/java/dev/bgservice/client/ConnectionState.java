package dev.bgservice.client;

/** The state of a client's connection to its service host. */
public enum ConnectionState {
  /** Trying to connect (the first time or after a loss). */
  CONNECTING("connecting"),
  /** Connected; calls are forwarded. */
  CONNECTED("connected"),
  /** The connection was lost; a reconnect is scheduled. Calls fail fast. */
  DISCONNECTED("disconnected"),
  /** Every retry failed; calls fail fast until {@code reconnectNow()}. */
  GAVE_UP("gaveUp"),
  /** The client was closed. */
  CLOSED("closed");

  private final String wireName;

  ConnectionState(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in logs and the CLI. */
  public String wireName() {
    return wireName;
  }
}
