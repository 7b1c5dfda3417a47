package dev.bgservice.ipc.codec;

import dev.bgservice.client.ServiceEvent;
import java.util.Optional;
import java.util.OptionalLong;

/** Converts between wire {@link Event}s and the {@link ServiceEvent}s clients deliver. */
public final class EventConversions {
  private EventConversions() {}

  /**
   * The client-side event for a wire event. A missing {@code seq} becomes 0 and a missing {@code
   * ts} becomes {@code receivedAtMs}, as {@link ServiceEvent} documents.
   *
   * @param event the event as received
   * @param receivedAtMs when it was received, in epoch milliseconds
   * @return the event, or empty for {@link Event.Overflow}, which concerns the connection rather
   *     than the service
   */
  public static Optional<ServiceEvent> toServiceEvent(Event event, long receivedAtMs) {
    long seq = event.seq().orElse(0);
    long ts = event.ts().orElse(receivedAtMs);
    if (event instanceof Event.Started) {
      return Optional.of(new ServiceEvent.Started(seq, ts));
    } else if (event instanceof Event.Stopped) {
      return Optional.of(new ServiceEvent.Stopped(seq, ts, ((Event.Stopped) event).reason()));
    } else if (event instanceof Event.Failed) {
      return Optional.of(new ServiceEvent.Failed(seq, ts, ((Event.Failed) event).message()));
    } else if (event instanceof Event.StateChanged) {
      Event.StateChanged changed = (Event.StateChanged) event;
      return Optional.of(new ServiceEvent.StateChanged(seq, ts, changed.from(), changed.to()));
    } else if (event instanceof Event.Custom) {
      Event.Custom custom = (Event.Custom) event;
      return Optional.of(new ServiceEvent.Custom(seq, ts, custom.name(), custom.payload()));
    } else if (event instanceof Event.ShuttingDown) {
      return Optional.of(new ServiceEvent.ShuttingDown(seq, ts));
    } else if (event instanceof Event.Resync) {
      return Optional.of(new ServiceEvent.Resync(seq, ts, ((Event.Resync) event).status()));
    }
    return Optional.empty();
  }

  /**
   * The wire event for a client-side event, with {@code ts} from its timestamp and {@code seq} when
   * it has one (a {@code seq} of 0 means none and is left out).
   */
  public static Event toWire(ServiceEvent event) {
    OptionalLong seq = event.seq() == 0 ? OptionalLong.empty() : OptionalLong.of(event.seq());
    OptionalLong ts = OptionalLong.of(event.timestampMs());
    if (event instanceof ServiceEvent.Started) {
      return new Event.Started(seq, ts);
    } else if (event instanceof ServiceEvent.Stopped) {
      return new Event.Stopped(seq, ts, ((ServiceEvent.Stopped) event).reason());
    } else if (event instanceof ServiceEvent.Failed) {
      return new Event.Failed(seq, ts, ((ServiceEvent.Failed) event).message());
    } else if (event instanceof ServiceEvent.StateChanged) {
      ServiceEvent.StateChanged changed = (ServiceEvent.StateChanged) event;
      return new Event.StateChanged(seq, ts, changed.from(), changed.to());
    } else if (event instanceof ServiceEvent.Custom) {
      ServiceEvent.Custom custom = (ServiceEvent.Custom) event;
      return new Event.Custom(seq, ts, custom.name(), custom.payload());
    } else if (event instanceof ServiceEvent.ShuttingDown) {
      return new Event.ShuttingDown(seq, ts);
    } else if (event instanceof ServiceEvent.Resync) {
      return new Event.Resync(seq, ts, ((ServiceEvent.Resync) event).status());
    }
    throw new IllegalArgumentException("unknown event type: " + event.type());
  }
}
