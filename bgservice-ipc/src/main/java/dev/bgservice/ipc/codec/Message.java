package dev.bgservice.ipc.codec;

/**
 * One JSON object on the wire (PROTOCOL.md A.2): a {@link Request}, a {@link Response} or an {@link
 * Event}. Messages are immutable values; {@link MessageCodec} reads and writes them.
 */
public sealed interface Message permits Request, Response, Event {

  /** The {@code kind} on the wire: {@code request}, {@code response} or {@code event}. */
  String kind();
}
