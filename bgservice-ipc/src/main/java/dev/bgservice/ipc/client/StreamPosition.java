package dev.bgservice.ipc.client;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the client is in a version 2 sidecar's event stream: which sidecar process (its instance
 * id) and the {@code seq} of the last event delivered. It decides, at each hello, whether the
 * stream resumes or starts over, and checks every event for continuity. Not thread-safe: the
 * client guards it with its lock.
 */
final class StreamPosition {

  /** What a hello answer means for the stream. */
  enum Start {
    /** The first sidecar ever reached: start from its current position, nothing was missed. */
    FIRST,
    /** The same sidecar process: it replays what was missed, then goes on live. */
    RESUME,
    /** Another process (or the first version 2 one after a base one): start over from a snapshot. */
    OVER
  }

  /** What to do with an event. */
  enum Verdict {
    /** The next event: deliver it. */
    DELIVER,
    /** Seen already (a replay overlapping what was delivered): drop it. */
    DUPLICATE,
    /** Events are missing before it: the stream must be resumed. */
    GAP
  }

  private Optional<String> instance = Optional.empty();
  private long lastSeq;
  private boolean everStarted;

  /** The sidecar instance of the stream, if a version 2 sidecar was reached. */
  Optional<String> instance() {
    return instance;
  }

  /** The seq of the last event delivered (or the snapshot taken); 0 before any. */
  long lastSeq() {
    return lastSeq;
  }

  /** The resume point to send in hello: the last seq, when there is an instance to resume. */
  OptionalLong resumeAfter() {
    return instance.isPresent() ? OptionalLong.of(lastSeq) : OptionalLong.empty();
  }

  /**
   * Takes a version 2 hello answer from sidecar {@code newInstance} whose last event is {@code
   * seq}.
   */
  Start onHello(Optional<String> newInstance, long seq) {
    boolean first = !everStarted;
    everStarted = true;
    if (instance.isPresent() && instance.equals(newInstance)) {
      return Start.RESUME;
    }
    instance = newInstance;
    lastSeq = seq;
    return first ? Start.FIRST : Start.OVER;
  }

  /**
   * Takes a base-protocol connection: no instance, no numbering, nothing to resume.
   *
   * @return whether events may have been missed (this is not the first connection)
   */
  boolean onBaseConnection() {
    boolean missed = everStarted;
    everStarted = true;
    instance = Optional.empty();
    lastSeq = 0;
    return missed;
  }

  /** Starts over from a snapshot that includes events up to {@code seq} (a resync). */
  void restartAt(long seq) {
    lastSeq = seq;
  }

  /** Checks the event numbered {@code seq}, and advances when it is the next one. */
  Verdict offer(long seq) {
    if (seq <= lastSeq) {
      return Verdict.DUPLICATE;
    }
    if (seq != lastSeq + 1) {
      return Verdict.GAP;
    }
    lastSeq = seq;
    return Verdict.DELIVER;
  }
}
