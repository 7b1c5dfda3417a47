package dev.bgservice.ipc.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} events of the stream as encoded version-2 frames, in a ring, so a
 * client that reconnects can be sent what it missed. Events must be added with consecutive sequence
 * numbers.
 *
 * <p>Not thread-safe: the event stream guards it with its lock.
 */
final class ReplayBuffer {

  private final ByteBuffer[] frames;
  private long lastSeq;
  private int size;

  /** A buffer retaining the last {@code capacity} events. */
  ReplayBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.frames = new ByteBuffer[capacity];
  }

  /**
   * Retains the frame of event {@code seq}, dropping the oldest when full.
   *
   * @throws IllegalArgumentException if {@code seq} does not follow the last event added
   */
  void add(long seq, ByteBuffer frame) {
    if (size > 0 && seq != lastSeq + 1) {
      throw new IllegalArgumentException("expected seq " + (lastSeq + 1) + ", got " + seq);
    }
    frames[index(seq)] = frame;
    lastSeq = seq;
    size = Math.min(size + 1, frames.length);
  }

  /**
   * The retained frames of every event after {@code resumeAfter} up to {@code lastSeq}, in order,
   * or empty when some of them are no longer (or were never) retained.
   *
   * @param resumeAfter the last event the client has
   * @param lastSeq the last event of the stream; the buffer holds everything the stream produced
   *     since it began retaining, so this is also the buffer's newest event when it has any
   */
  Optional<List<Replayed>> after(long resumeAfter, long lastSeq) {
    if (resumeAfter == lastSeq) {
      return Optional.of(List.of());
    }
    if (resumeAfter > lastSeq || size == 0 || this.lastSeq != lastSeq) {
      return Optional.empty();
    }
    long oldest = this.lastSeq - size + 1;
    if (resumeAfter < oldest - 1) {
      return Optional.empty();
    }
    List<Replayed> out = new ArrayList<>((int) (lastSeq - resumeAfter));
    for (long seq = resumeAfter + 1; seq <= lastSeq; seq++) {
      out.add(new Replayed(seq, frames[index(seq)]));
    }
    return Optional.of(out);
  }

  private int index(long seq) {
    return (int) Math.floorMod(seq, (long) frames.length);
  }

  /** One retained event: its number and its shared, read-only frame. */
  record Replayed(long seq, ByteBuffer frame) {}
}
