package dev.bgservice.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bgservice.status.LifecycleStatus;
import java.util.Objects;

/**
 * An event a {@link ServiceClient} delivers to its listeners. The wire names are the {@code
 * type} values of PROTOCOL.md ({@code started}, {@code stopped}, {@code error}, {@code
 * stateChanged}, {@code service}, {@code shuttingDown}) plus {@code resync}, which a client
 * produces itself when it cannot resume a stream without a gap.
 *
 * <p>{@link #seq()} grows by one per event for the lifetime of one service host (one sidecar
 * process, or one in-process client); it is 0 when the source has no sequence numbers (a
 * sidecar that speaks only the base protocol). {@link #timestampMs()} is the epoch millisecond
 * the event happened, or when it was received if the source does not say.
 */
public sealed interface ServiceEvent {

  /** The event's sequence number; 0 when the source has none. */
  long seq();

  /** When the event happened, in epoch milliseconds. */
  long timestampMs();

  /** The wire name of this event's type. */
  String type();

  /** {@code init} succeeded and the service runs. */
  record Started(long seq, long timestampMs) implements ServiceEvent {
    @Override
    public String type() {
      return "started";
    }
  }

  /** A run ended without failing; {@code reason} is e.g. {@code userStop}. */
  record Stopped(long seq, long timestampMs, String reason) implements ServiceEvent {
    /** Checks the reason is present. */
    public Stopped {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String type() {
      return "stopped";
    }
  }

  /** {@code init} or {@code run} failed. */
  record Failed(long seq, long timestampMs, String message) implements ServiceEvent {
    /** Checks the message is present. */
    public Failed {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
      return "error";
    }
  }

  /**
   * The lifecycle state changed; {@code from} and {@code to} are {@link
   * dev.bgservice.status.StatusState} wire names (kept as text so newer states pass through).
   */
  record StateChanged(long seq, long timestampMs, String from, String to) implements ServiceEvent {
    /** Checks the states are present. */
    public StateChanged {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public String type() {
      return "stateChanged";
    }
  }

  /** An event the service emitted itself. The payload must be treated as read-only. */
  record Custom(long seq, long timestampMs, String name, JsonNode payload) implements ServiceEvent {
    /** Checks the components are present. */
    public Custom {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String type() {
      return "service";
    }
  }

  /** The service host is shutting down in an orderly way; the connection will close. */
  record ShuttingDown(long seq, long timestampMs) implements ServiceEvent {
    @Override
    public String type() {
      return "shuttingDown";
    }
  }

  /**
   * Events may have been missed (the sidecar restarted, or fell too far behind); {@code
   * status} is the fresh snapshot to start over from.
   */
  record Resync(long seq, long timestampMs, LifecycleStatus status) implements ServiceEvent {
    /** Checks the status is present. */
    public Resync {
      Objects.requireNonNull(status, "status");
    }

    @Override
    public String type() {
      return "resync";
    }
  }
}
