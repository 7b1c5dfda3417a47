package dev.bgservice.ipc.server;

import dev.bgservice.client.ServiceEvent;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.EventConversions;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.status.LifecycleStatus;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's one event stream: numbers the engine's events, keeps the replay buffer and delivers
 * every event to every connection in the form that connection speaks.
 *
 * <p><b>Numbering.</b> The stream numbers events itself, 1, 2, 3, ... in the order the engine
 * delivers them, and encodes each event once per form (version 2 with {@code seq}/{@code ts}; base
 * without, for {@code started}, {@code stopped} and {@code error} only); every connection gets the
 * same shared frame.
 *
 * <p><b>No gap, no duplicate.</b> One lock orders everything that touches the stream position:
 * numbering and delivery of a live event, and the switch of a connection to version 2 (its {@code
 * hello} answer, the replayed events or the {@code resync}, and its subscription to live events). A
 * connection's queue therefore holds the replay up to seq N and then exactly the live events from
 * N+1.
 */
final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);

  /** How often a {@code hello} retries when a state change races its status snapshot. */
  private static final int SNAPSHOT_ATTEMPTS = 50;

  /** The protocol version this server speaks. */
  static final int PROTOCOL_VERSION = 2;

  private final String instanceId;
  private final Supplier<LifecycleStatus> status;
  private final Clock clock;
  private final Object lock = new Object();

  // Guarded by lock.
  private final ReplayBuffer replay;
  private final Map<Connection, Boolean> subscribers = new IdentityHashMap<>();
  private long lastSeq;
  private boolean closed;

  // Written under lock; read without it to start an optimistic status snapshot.
  private volatile long lastStateSeq;

  /**
   * A stream for the sidecar instance {@code instanceId}.
   *
   * @param replayCapacity how many events to retain for resuming clients
   * @param status the engine's current lifecycle status; may block briefly, and throws a {@link
   *     dev.bgservice.error.BgServiceException} when it cannot be had
   */
  EventStream(
      String instanceId, int replayCapacity, Supplier<LifecycleStatus> status, Clock clock) {
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.replay = new ReplayBuffer(replayCapacity);
    this.status = Objects.requireNonNull(status, "status");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The number of the last event; 0 before the first. */
  long lastSeq() {
    synchronized (lock) {
      return lastSeq;
    }
  }

  /**
   * Numbers an event of the engine and delivers it to every connection. A connection whose queue is
   * full is unsubscribed and told it overflowed. Never blocks on a client.
   */
  void publish(ServiceEvent event) {
    List<Map.Entry<Connection, Boolean>> overflowed = List.of();
    synchronized (lock) {
      if (closed) {
        return;
      }
      long seq = lastSeq + 1;
      Event numbered = numbered(event, seq);
      ByteBuffer v2Frame;
      ByteBuffer baseFrame = null;
      try {
        v2Frame = MessageCodec.encodeFrame(numbered);
        if (numbered.isBase()) {
          baseFrame = MessageCodec.encodeFrame(numbered.unnumbered());
        }
      } catch (CodecException e) {
        // Only a service event can be this large; dropping it before it gets a number keeps the
        // stream free of gaps.
        log.warn("dropping a {} event that cannot be sent: {}", numbered.type(), e.getMessage());
        return;
      }
      lastSeq = seq;
      if (!(numbered instanceof Event.Custom)) {
        lastStateSeq = seq;
      }
      replay.add(seq, v2Frame);
      for (Map.Entry<Connection, Boolean> subscriber : subscribers.entrySet()) {
        OutboundQueue out = subscriber.getKey().outbound();
        boolean accepted =
            subscriber.getValue()
                ? out.offerEvent(v2Frame, seq)
                : baseFrame == null || out.offerEvent(baseFrame, OutboundQueue.NO_SEQ);
        if (!accepted) {
          if (overflowed.isEmpty()) {
            overflowed = new ArrayList<>();
          }
          overflowed.add(Map.entry(subscriber.getKey(), subscriber.getValue()));
        }
      }
      for (Map.Entry<Connection, Boolean> slow : overflowed) {
        subscribers.remove(slow.getKey());
      }
    }
    // Unsubscribed above, so no later event reaches them; telling them needs no lock of ours.
    for (Map.Entry<Connection, Boolean> slow : overflowed) {
      slow.getKey().overflowed(slow.getValue());
    }
  }

  /**
   * The wire form of an engine event under the stream's own number. A service event, by far the
   * most frequent, is built directly: converting and then renumbering would copy its payload twice.
   */
  private static Event numbered(ServiceEvent event, long seq) {
    if (event instanceof ServiceEvent.Custom) {
      ServiceEvent.Custom custom = (ServiceEvent.Custom) event;
      return new Event.Custom(
          OptionalLong.of(seq),
          OptionalLong.of(custom.timestampMs()),
          custom.name(),
          custom.payload());
    }
    return EventConversions.toWire(event).numbered(seq, event.timestampMs());
  }

  /**
   * Subscribes a new connection to the base form of the stream.
   *
   * @return false if the stream is closed (the server is shutting down)
   */
  boolean attach(Connection connection) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      subscribers.put(connection, false);
      return true;
    }
  }

  /** Unsubscribes a connection. Idempotent. */
  void detach(Connection connection) {
    synchronized (lock) {
      subscribers.remove(connection);
    }
  }

  /**
   * Answers a version-2 {@code hello} and switches the connection to the version-2 stream: queues
   * the answer ({@code version}, {@code instance}, {@code seq} N, {@code status}), then, when
   * {@code resumeAfter} is given, either the retained events after it up to N or a {@code resync}
   * at N, then subscribes the connection to the live events from N+1.
   *
   * <p>A connection already on version 2 just gets the answer: it has every event already.
   *
   * @throws dev.bgservice.error.BgServiceException if the status cannot be had; nothing changed
   */
  void hello(Connection connection, Request.Hello hello) {
    for (int attempt = 1; ; attempt++) {
      // The status is taken outside the lock, since the engine may block; it is used only if no
      // state change was numbered meanwhile, so it is never older than the seq it is sent with.
      long stateSeqBefore = lastStateSeq;
      LifecycleStatus now = status.get();
      synchronized (lock) {
        if (lastStateSeq != stateSeqBefore && attempt < SNAPSHOT_ATTEMPTS) {
          continue;
        }
        Boolean v2Already = subscribers.get(connection);
        if (closed || v2Already == null) {
          return; // the connection or the server is going away; nobody will read an answer
        }
        long position = lastSeq;
        OutboundQueue out = connection.outbound();
        out.putResponse(
            MessageCodec.encodeFrame(helloAnswer(position, now).withId(hello.id())), position);
        if (!v2Already && hello.resumeAfter().isPresent()) {
          resume(out, hello, position, now);
        }
        subscribers.put(connection, true);
        return;
      }
    }
  }

  private void resume(OutboundQueue out, Request.Hello hello, long position, LifecycleStatus now) {
    long resumeAfter = hello.resumeAfter().getAsLong();
    Optional<List<ReplayBuffer.Replayed>> missed =
        hello.instance().filter(instanceId::equals).isPresent()
            ? replay.after(resumeAfter, position)
            : Optional.empty();
    if (missed.isPresent()) {
      for (ReplayBuffer.Replayed event : missed.get()) {
        out.putEvent(event.frame(), event.seq());
      }
    } else {
      // The resync is this connection's own event: it carries the position its status belongs
      // to, so a client that resumes from the last seq it saw still resumes correctly.
      out.putEvent(
          MessageCodec.encodeFrame(new Event.Resync(now).numbered(position, clock.millis())),
          position);
    }
  }

  private Response helloAnswer(long position, LifecycleStatus now) {
    return Response.success(
        HelloData.resumable(PROTOCOL_VERSION, instanceId, position, now).toJson());
  }

  /**
   * Ends the stream: numbers a {@code shuttingDown} event, queues it as the last frame of every
   * version-2 connection and lets every connection drain and close. Later events are dropped.
   *
   * @return the connections that were subscribed, in a new list
   */
  List<Connection> shutDown() {
    synchronized (lock) {
      if (closed) {
        return new ArrayList<>();
      }
      closed = true;
      long seq = ++lastSeq;
      ByteBuffer frame =
          MessageCodec.encodeFrame(new Event.ShuttingDown().numbered(seq, clock.millis()));
      List<Connection> connections = new ArrayList<>(subscribers.keySet());
      for (Map.Entry<Connection, Boolean> subscriber : subscribers.entrySet()) {
        subscriber
            .getKey()
            .outbound()
            .finish(subscriber.getValue() ? Optional.of(frame) : Optional.empty());
      }
      subscribers.clear();
      return connections;
    }
  }
}
