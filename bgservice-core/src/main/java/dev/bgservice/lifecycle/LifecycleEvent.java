package dev.bgservice.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a {@link LifecycleManager} tells its listeners, in the order it happened. Every event
 * names the generation of the run it belongs to.
 */
public sealed interface LifecycleEvent {

  /** The run this event belongs to (for {@link Snapshot}, the current or last run). */
  long generation();

  /** The event that ends a run: exactly one per generation. */
  sealed interface Terminal extends LifecycleEvent permits Stopped, Failed {}

  /**
   * The first event every listener gets: the state at the moment it subscribed. Never sent
   * again afterwards.
   *
   * @param snapshot the state when the listener subscribed
   */
  record Snapshot(StateSnapshot snapshot) implements LifecycleEvent {
    /** Checks the snapshot is present. */
    public Snapshot {
      Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public long generation() {
      return snapshot.generation();
    }
  }

  /**
   * The state changed.
   *
   * @param generation the run the change belongs to
   * @param from the state before
   * @param snapshot the state after
   */
  record StateChanged(long generation, LifecycleState from, StateSnapshot snapshot)
      implements LifecycleEvent {
    /** Checks the components are present. */
    public StateChanged {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The state after the change. */
    public LifecycleState to() {
      return snapshot.state();
    }
  }

  /**
   * {@code init} succeeded; {@code run} is about to be called ({@code started} on the wire).
   *
   * @param generation the run
   */
  record Started(long generation) implements LifecycleEvent {}

  /**
   * The run ended without failing ({@code stopped{reason}} on the wire).
   *
   * @param generation the run
   * @param reason why it ended
   */
  record Stopped(long generation, StopReason reason) implements Terminal {
    /** Checks the reason is present. */
    public Stopped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * {@code init} or {@code run} threw ({@code error{message}} on the wire).
   *
   * @param generation the run
   * @param message what went wrong, for a person
   * @param duringInit whether {@code init} failed (else {@code run})
   */
  record Failed(long generation, String message, boolean duringInit) implements Terminal {
    /** Checks the message is present. */
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * An event the service emitted itself ({@code service{name, payload}} on the wire).
   *
   * @param generation the run that emitted it
   * @param name the event name
   * @param payload the JSON payload ({@code NullNode} when there is none); treat as read-only
   */
  record Custom(long generation, String name, JsonNode payload) implements LifecycleEvent {
    /** Checks the components are present. */
    public Custom {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(payload, "payload");
    }
  }
}
