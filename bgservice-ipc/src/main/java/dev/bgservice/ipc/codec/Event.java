package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bgservice.status.LifecycleStatus;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An event from the sidecar to its clients (PROTOCOL.md A.5 and B). On a version-2 connection every
 * event carries {@link #seq()} and {@link #ts()}; on a base connection neither, and only the
 * {@linkplain #isBase() base types} are sent.
 */
public sealed interface Event extends Message {

  /** The {@code type} on the wire. */
  String type();

  /** The event's sequence number (version 2). */
  OptionalLong seq();

  /** When the event happened, in epoch milliseconds (version 2). */
  OptionalLong ts();

  /** This event with the given sequence number and timestamp. */
  Event numbered(long seq, long ts);

  /** This event without sequence number and timestamp, as a base connection gets it. */
  Event unnumbered();

  /** Whether part A defines this type ({@code started}, {@code stopped}, {@code error}). */
  default boolean isBase() {
    return false;
  }

  @Override
  default String kind() {
    return "event";
  }

  /** {@code init} succeeded and the service runs. */
  record Started(OptionalLong seq, OptionalLong ts) implements Event {
    /** Checks the components are present. */
    public Started {
      checkNumbering(seq, ts);
    }

    /** Without sequence number and timestamp. */
    public Started() {
      this(OptionalLong.empty(), OptionalLong.empty());
    }

    @Override
    public String type() {
      return "started";
    }

    @Override
    public boolean isBase() {
      return true;
    }

    @Override
    public Started numbered(long seq, long ts) {
      return new Started(OptionalLong.of(seq), OptionalLong.of(ts));
    }

    @Override
    public Started unnumbered() {
      return new Started();
    }
  }

  /** A run ended without failing; {@code reason} is e.g. {@code userStop}. */
  record Stopped(OptionalLong seq, OptionalLong ts, String reason) implements Event {
    /** Checks the components are present. */
    public Stopped {
      checkNumbering(seq, ts);
      Objects.requireNonNull(reason, "reason");
    }

    /** Without sequence number and timestamp. */
    public Stopped(String reason) {
      this(OptionalLong.empty(), OptionalLong.empty(), reason);
    }

    @Override
    public String type() {
      return "stopped";
    }

    @Override
    public boolean isBase() {
      return true;
    }

    @Override
    public Stopped numbered(long seq, long ts) {
      return new Stopped(OptionalLong.of(seq), OptionalLong.of(ts), reason);
    }

    @Override
    public Stopped unnumbered() {
      return new Stopped(reason);
    }
  }

  /** {@code init} or {@code run} failed ({@code error} on the wire). */
  record Failed(OptionalLong seq, OptionalLong ts, String message) implements Event {
    /** Checks the components are present. */
    public Failed {
      checkNumbering(seq, ts);
      Objects.requireNonNull(message, "message");
    }

    /** Without sequence number and timestamp. */
    public Failed(String message) {
      this(OptionalLong.empty(), OptionalLong.empty(), message);
    }

    @Override
    public String type() {
      return "error";
    }

    @Override
    public boolean isBase() {
      return true;
    }

    @Override
    public Failed numbered(long seq, long ts) {
      return new Failed(OptionalLong.of(seq), OptionalLong.of(ts), message);
    }

    @Override
    public Failed unnumbered() {
      return new Failed(message);
    }
  }

  /**
   * The lifecycle state changed (version 2); {@code from} and {@code to} are {@link
   * dev.bgservice.status.StatusState} wire names, kept as text so newer states pass through.
   */
  record StateChanged(OptionalLong seq, OptionalLong ts, String from, String to) implements Event {
    /** Checks the components are present. */
    public StateChanged {
      checkNumbering(seq, ts);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** Without sequence number and timestamp. */
    public StateChanged(String from, String to) {
      this(OptionalLong.empty(), OptionalLong.empty(), from, to);
    }

    @Override
    public String type() {
      return "stateChanged";
    }

    @Override
    public StateChanged numbered(long seq, long ts) {
      return new StateChanged(OptionalLong.of(seq), OptionalLong.of(ts), from, to);
    }

    @Override
    public StateChanged unnumbered() {
      return new StateChanged(from, to);
    }
  }

  /**
   * An event the service emitted itself ({@code service} on the wire, version 2). The payload is
   * copied on the way in and out; {@link NullNode} stands for no payload.
   */
  record Custom(OptionalLong seq, OptionalLong ts, String name, JsonNode payload) implements Event {
    /** Checks the components are present and copies the payload. */
    public Custom {
      checkNumbering(seq, ts);
      Objects.requireNonNull(name, "name");
      payload =
          payload == null || payload.isMissingNode() ? NullNode.getInstance() : payload.deepCopy();
    }

    /** Without sequence number and timestamp. */
    public Custom(String name, JsonNode payload) {
      this(OptionalLong.empty(), OptionalLong.empty(), name, payload);
    }

    /** A copy of the payload. */
    @Override
    public JsonNode payload() {
      return payload.deepCopy();
    }

    @Override
    public String type() {
      return "service";
    }

    @Override
    public Custom numbered(long seq, long ts) {
      return new Custom(OptionalLong.of(seq), OptionalLong.of(ts), name, payload);
    }

    @Override
    public Custom unnumbered() {
      return new Custom(name, payload);
    }
  }

  /** The sidecar is shutting down in an orderly way; the connection will close (version 2). */
  record ShuttingDown(OptionalLong seq, OptionalLong ts) implements Event {
    /** Checks the components are present. */
    public ShuttingDown {
      checkNumbering(seq, ts);
    }

    /** Without sequence number and timestamp. */
    public ShuttingDown() {
      this(OptionalLong.empty(), OptionalLong.empty());
    }

    @Override
    public String type() {
      return "shuttingDown";
    }

    @Override
    public ShuttingDown numbered(long seq, long ts) {
      return new ShuttingDown(OptionalLong.of(seq), OptionalLong.of(ts));
    }

    @Override
    public ShuttingDown unnumbered() {
      return new ShuttingDown();
    }
  }

  /** The client fell too far behind and is being disconnected (version 2). */
  record Overflow(OptionalLong seq, OptionalLong ts) implements Event {
    /** Checks the components are present. */
    public Overflow {
      checkNumbering(seq, ts);
    }

    /** Without sequence number and timestamp. */
    public Overflow() {
      this(OptionalLong.empty(), OptionalLong.empty());
    }

    @Override
    public String type() {
      return "overflow";
    }

    @Override
    public Overflow numbered(long seq, long ts) {
      return new Overflow(OptionalLong.of(seq), OptionalLong.of(ts));
    }

    @Override
    public Overflow unnumbered() {
      return new Overflow();
    }
  }

  /**
   * The requested events cannot be replayed; {@code status} is the snapshot to start over from
   * (version 2).
   */
  record Resync(OptionalLong seq, OptionalLong ts, LifecycleStatus status) implements Event {
    /** Checks the components are present. */
    public Resync {
      checkNumbering(seq, ts);
      Objects.requireNonNull(status, "status");
    }

    /** Without sequence number and timestamp. */
    public Resync(LifecycleStatus status) {
      this(OptionalLong.empty(), OptionalLong.empty(), status);
    }

    @Override
    public String type() {
      return "resync";
    }

    @Override
    public Resync numbered(long seq, long ts) {
      return new Resync(OptionalLong.of(seq), OptionalLong.of(ts), status);
    }

    @Override
    public Resync unnumbered() {
      return new Resync(status);
    }
  }

  private static void checkNumbering(OptionalLong seq, OptionalLong ts) {
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(ts, "ts");
  }
}
