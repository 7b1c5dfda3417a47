package dev.bgservice.ipc.client;

import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket connection of a {@link PersistentIpcClient}: frames are read and matched to their
 * requests or handed on as events, by a reader thread or by a caller waiting for its answer, and a
 * writer thread sends the requests that cannot be written by their callers.
 *
 * <p><b>Reading.</b> The channel is non-blocking. Whoever holds the read role reads what has
 * arrived and handles every whole frame in order: the reader thread, woken by a selector when bytes
 * arrive, or a caller blocked on its call ({@link #lead}), which spins on the socket for a few
 * microseconds until its answer is in. A local round trip is over in about the time it takes to
 * wake a parked thread, so the caller reading its own answer saves the hand-off from the reader
 * thread, which was most of the client's share of a call. The caller then handles whatever else
 * it read too (other answers, events), in order, before it gives the role back; a same-thread
 * listener can therefore run on a caller's thread.
 *
 * <p><b>Writing.</b> When nothing is queued and nobody is writing, a caller writes its own frame,
 * saving the hand-off to the writer thread (a wake-up and a context switch per call). Otherwise the
 * frame joins a bounded queue that the writer thread drains in order, so the bytes on the wire are
 * always in the order {@link #send} registered the calls, which strict matching needs. A frame the
 * socket cannot take at once (the sidecar does not read) is retried after growing pauses, until the
 * call's deadline closes the connection (see {@link #abandon}) and so ends the write. Threads that
 * must never wait on the socket neither write nor lead: the connection's own threads (a listener on
 * the reader thread writing while the sidecar waits for the reader would deadlock), threads the
 * client names (its timer, which must stay free to run the deadline that ends such a wait), a
 * thread that holds the read role already, and interrupted threads (an interrupt during a channel
 * operation closes the channel).
 *
 * <p>Until {@link #useRequestIds()} is called responses are matched in strict request order, as
 * the base protocol requires (the {@code hello} is answered that way too); afterwards by id. In
 * strict order a request that will never be answered breaks the matching of every later one, so
 * {@link #abandon} then closes the connection.
 *
 * <p>The connection closes once, for the first reason given: the end of the stream, an I/O error,
 * a protocol violation or {@link #close}. Closing first tells the {@link Listener}, on the closing
 * thread, so the client no longer counts the connection as up by the time anyone learns of the
 * loss; then it fails every pending call with {@code ipc_unavailable}.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  /** How many encoded requests may wait for the writer before calls are refused. */
  static final int OUTBOUND_LIMIT = 4096;

  private static final long FIRST_WRITE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
  private static final long LAST_WRITE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** What the connection reports to its client. */
  interface Listener {
    /**
     * An event arrived; called on the thread that holds the read role: the reader thread, or a
     * caller reading its own answer.
     */
    void onEvent(Connection connection, Event event);

    /**
     * The connection closed; called exactly once, on the thread that closed it, before pending
     * calls fail. Must not be called with locks held that the listener takes.
     */
    void onClosed(Connection connection, String reason);
  }

  private final SocketChannel channel;
  private final Path socketPath;
  private final Listener listener;
  private final Predicate<Thread> mayNotUseSocket;
  /** Wakes the reader thread when bytes arrive; used by that thread only (and woken by close). */
  private final Selector selector;
  /** Held by whichever thread reads the channel and handles what it read. */
  private final ReentrantLock readRole = new ReentrantLock();
  /** Guarded by {@link #readRole}. */
  private final FrameReader frames;
  private final Thread readerThread;
  private final Thread writerThread;

  // Guarded by this.
  private boolean requestIds;
  private long nextId = 1;
  private final ArrayDeque<PendingCall> inOrder = new ArrayDeque<>();
  private final Map<Long, PendingCall> byId = new HashMap<>();
  private String closeReason;
  /** Frames waiting for the writer thread, in the order their calls were registered. */
  private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
  /** Whether a thread (a caller or the writer thread) is writing to the socket now. */
  private boolean writing;
  /** The call whose caller is writing its frame now, if one is. */
  private PendingCall writtenByCaller;

  // ---- session state owned by the client, guarded by the client's lock ----

  /** The protocol version negotiated by hello: 2, or 1 for the base protocol; 0 before. */
  volatile int version;

  /** The sidecar's last event seq when it answered hello (version 2). */
  long helloSeq;

  /** Events that arrived before the hello answer decided what to do with them. */
  final List<Event> beforeHello = new ArrayList<>();

  /** Whether a resync from the sidecar would only repeat the one the client already delivered. */
  boolean resyncAlreadyDelivered;

  /** Base protocol only: calls waiting for the event that ends them (see {@link OutcomeWatch}). */
  final List<OutcomeWatch> watches = new ArrayList<>();

  /**
   * Wraps a connected channel, which this puts in non-blocking mode; call {@link #start()} to begin
   * reading and writing.
   *
   * @param threadPrefix the prefix of the two threads' names
   * @param mayNotUseSocket the client's threads that must neither write to the socket nor read it
   * @throws IOException if the channel cannot be made non-blocking or watched
   */
  Connection(
      SocketChannel channel,
      Path socketPath,
      String threadPrefix,
      Listener listener,
      Predicate<Thread> mayNotUseSocket)
      throws IOException {
    this.channel = channel;
    this.socketPath = socketPath;
    this.listener = listener;
    this.mayNotUseSocket = mayNotUseSocket;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    try {
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.frames = new FrameReader(channel);
    this.readerThread = daemon(this::readLoop, threadPrefix + "-reader");
    this.writerThread = daemon(this::writeLoop, threadPrefix + "-writer");
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Starts the reader and writer threads. */
  void start() {
    readerThread.start();
    writerThread.start();
  }

  /** Closes a connection that was never started, socket and selector, telling nobody. */
  void discard() {
    synchronized (this) {
      closeReason = "discarded";
    }
    try {
      channel.close();
      selector.close(); // lets the socket go, which stays open while a selector watches it
    } catch (IOException e) {
      log.debug("discarding a connection failed", e);
    }
  }

  /** From now on responses are matched by request id (protocol version 2). */
  synchronized void useRequestIds() {
    requestIds = true;
  }

  /**
   * Sends the call's request (with a fresh id when ids are in use) and registers the call for the
   * response. The calling thread may write the frame itself (see the class comment), so this can
   * block until the frame is written or the call's deadline closes the connection.
   *
   * @return false, with the call untouched, when the connection is closed or its queue is full;
   *     the caller fails the call
   * @throws CodecException if the request cannot be encoded (the call is not registered)
   */
  boolean send(PendingCall call) {
    ByteBuffer frame;
    synchronized (this) {
      if (closeReason != null || outbound.size() >= OUTBOUND_LIMIT) {
        return false;
      }
      Request request = version >= 2 ? call.request() : baseForm(call.request());
      if (requestIds) {
        long id = nextId++;
        request = request.withId(id);
        byId.put(id, call);
      } else {
        inOrder.add(call);
      }
      try {
        frame = MessageCodec.encodeFrame(request);
      } catch (RuntimeException e) {
        forgetLocked(call);
        throw e;
      }
      call.sentOn(this);
      // Decided under the lock, so the wire order is the registration order strict matching needs:
      // a caller writes only when every frame registered before its own is already written.
      if (writing || !outbound.isEmpty() || !mayUseSocket(Thread.currentThread())) {
        outbound.add(frame);
        if (!writing) {
          notifyAll();
        }
        return true;
      }
      writing = true;
      writtenByCaller = call;
    }
    writeByCaller(frame);
    return true;
  }

  /** Whether {@code thread} may wait on the socket itself: write its frame, or lead. */
  private boolean mayUseSocket(Thread thread) {
    return thread != readerThread
        && thread != writerThread
        && !thread.isInterrupted()
        && !readRole.isHeldByCurrentThread()
        && !mayNotUseSocket.test(thread);
  }

  /** Writes a caller's frame on the calling thread, then hands the socket back. */
  private void writeByCaller(ByteBuffer frame) {
    String failure = null;
    try {
      writeFully(frame);
    } catch (ClosedByInterruptException e) {
      failure = "a thread writing a request was interrupted, which closes the socket";
    } catch (ClosedChannelException e) {
      failure = "the connection was closed while a request was written";
    } catch (IOException e) {
      failure = "writing to the socket failed (" + e.getMessage() + ")";
    } finally {
      synchronized (this) {
        writing = false;
        writtenByCaller = null;
        if (!outbound.isEmpty()) {
          notifyAll(); // frames queued meanwhile: the writer thread takes over
        }
      }
    }
    if (failure != null) {
      close(failure);
    }
  }

  /**
   * Writes all of {@code frame} (not changing it). The non-blocking channel takes what fits in the
   * socket's send buffer; when it takes nothing the sidecar is not reading, which is rare and can
   * last, so the writer polls after pauses growing to a millisecond rather than keep a selector for
   * writes. An interrupt ends the pause early and the next write then closes the channel.
   */
  private void writeFully(ByteBuffer frame) throws IOException {
    ByteBuffer bytes = frame.duplicate();
    long pause = FIRST_WRITE_PAUSE_NANOS;
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        pause = FIRST_WRITE_PAUSE_NANOS;
      } else {
        LockSupport.parkNanos(this, pause);
        pause = Math.min(2 * pause, LAST_WRITE_PAUSE_NANOS);
      }
    }
  }

  /**
   * A request as the base protocol has it: a base sidecar would ignore {@code wait} and {@code
   * timeoutMs}, and the client waits for the events instead (see {@link OutcomeWatch}).
   */
  private static Request baseForm(Request request) {
    if (request instanceof Request.Start start && start.waitForInit()) {
      return new Request.Start(start.id(), start.config(), false);
    }
    if (request instanceof Request.Stop stop && stop.timeoutMs().isPresent()) {
      return new Request.Stop(stop.id(), OptionalLong.empty());
    }
    return request;
  }

  /**
   * Gives up on a call whose deadline passed. With ids the late response will simply be ignored;
   * in strict order it would be taken for the answer to the next request, so the connection is
   * closed. So it is when the call's own caller is still blocked writing its request.
   */
  void abandon(PendingCall call) {
    String reason = null;
    synchronized (this) {
      if (writtenByCaller == call) {
        // Its caller is still blocked writing it: the sidecar does not read, and closing is the
        // only way to end the write.
        reason = "a " + call.type() + " request could not be written in time; the sidecar does "
            + "not read";
      } else if (!requestIds && inOrder.contains(call)) {
        reason = "a " + call.type() + " request got no answer in time, and the base protocol "
            + "cannot match a late answer";
      } else {
        forgetLocked(call);
      }
    }
    if (reason != null) {
      close(reason);
    }
  }

  private void forgetLocked(PendingCall call) {
    inOrder.remove(call);
    byId.values().remove(call);
  }

  /** Whether a caller is writing its own frame now; for tests. */
  synchronized boolean callerIsWriting() {
    return writtenByCaller != null;
  }

  /** Whether the calling thread holds the read role now; for tests. */
  boolean holdsReadRole() {
    return readRole.isHeldByCurrentThread();
  }

  /** Whether {@link #close} was called or the connection ended. */
  synchronized boolean isClosed() {
    return closeReason != null;
  }

  /**
   * Closes the connection for {@code reason} (a lower-case phrase) unless it is already closed:
   * tells the listener, then fails every pending call. Returns at once; the threads end soon
   * after. Call it without holding the client's lock.
   */
  void close(String reason) {
    List<PendingCall> failed;
    synchronized (this) {
      if (closeReason != null) {
        return;
      }
      closeReason = reason;
      failed = new ArrayList<>(inOrder);
      failed.addAll(byId.values());
      inOrder.clear();
      byId.clear();
      outbound.clear();
      notifyAll(); // the writer thread ends
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the socket failed", e);
    }
    // The reader thread leaves its select and closes the selector, which lets the socket go.
    selector.wakeup();
    listener.onClosed(this, reason);
    for (PendingCall call : failed) {
      call.response().completeExceptionally(lost(call.type(), reason));
    }
  }

  /** The failure of a call that lost its connection. */
  ServiceUnavailableException lost(String type, String reason) {
    return new ServiceUnavailableException(
        "The sidecar at " + socketPath + " did not answer " + type + ": " + reason + ".", null);
  }

  /** Waits at most {@code timeout} for both threads to end, unless called from one of them. */
  void join(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : List.of(readerThread, writerThread)) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        Threads.join(thread, Duration.ofNanos(left));
      }
    }
  }

  // ---- threads ----

  /**
   * Reads and handles frames on the calling thread, a caller blocked on its call, until {@code
   * done} says so or {@code spinNanos} have passed without it; see the class comment. Returns at
   * once when the thread may not wait on the socket, and gives up the wait for the role after
   * {@code spinNanos} too (the reader thread then has it, and reads on).
   */
  void lead(BooleanSupplier done, long spinNanos) {
    Thread thread = Thread.currentThread();
    if (spinNanos <= 0 || !mayUseSocket(thread)) {
      return;
    }
    long end = System.nanoTime() + spinNanos;
    // The reader thread holds the role only while it handles what arrived: wait it out.
    while (!readRole.tryLock()) {
      if (done.getAsBoolean() || System.nanoTime() - end >= 0) {
        return;
      }
      Thread.onSpinWait();
    }
    String reason = null;
    try {
      while (!done.getAsBoolean() && !thread.isInterrupted()) {
        int read = readAndHandle();
        // On time even while frames keep coming (a stream of events): the reader thread reads on.
        if (System.nanoTime() - end >= 0) {
          break;
        }
        if (read == 0) {
          Thread.onSpinWait();
        }
      }
    } catch (Closing closing) {
      reason = closing.reason;
    } finally {
      readRole.unlock();
    }
    if (reason != null) {
      close(reason);
    }
  }

  /**
   * The reader thread: waits for bytes, then reads and handles them until none are left, unless a
   * caller holds the read role, in which case it waits for the role first.
   */
  private void readLoop() {
    String reason = "the connection was closed";
    try {
      while (!isClosed()) {
        selector.select();
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
          reason = "the client's reader was interrupted";
          break;
        }
        readRole.lock();
        try {
          while (readAndHandle() > 0) {
            // until the channel has nothing more
          }
        } finally {
          readRole.unlock();
        }
      }
    } catch (Closing closing) {
      reason = closing.reason;
    } catch (IOException | ClosedSelectorException e) {
      reason = "waiting for the socket failed (" + e.getMessage() + ")";
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("closing the selector failed", e);
      }
    }
    close(reason);
  }

  /** Why the connection must close; thrown by the read path, which holds the read role. */
  private static final class Closing extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Closing(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * Reads once from the channel, without waiting, and handles every whole frame read. The caller
   * holds the read role.
   *
   * @return the bytes read: 0 when nothing had arrived
   * @throws Closing when the connection must close
   */
  private int readAndHandle() throws Closing {
    try {
      int n = frames.fill();
      if (n < 0) {
        frames.checkCleanEnd();
        throw new Closing("the sidecar closed the connection");
      }
      Optional<byte[]> frame;
      while ((frame = frames.nextBufferedFrame()).isPresent()) {
        if (!handle(frame.get())) {
          throw new Closing("the sidecar broke the protocol");
        }
      }
      return n;
    } catch (ClosedChannelException e) {
      throw new Closing("the connection was closed");
    } catch (CodecException e) {
      throw new Closing("the sidecar sent a bad frame (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new Closing("reading from the socket failed (" + e.getMessage() + ")");
    } catch (RuntimeException | Error e) {
      // A bug in a handler: the connection is in an unknown state, so it goes.
      log.error("unexpected failure on the connection to {}", socketPath, e);
      throw new Closing("the client failed (" + e + ")");
    }
  }

  /** Handles one frame; false when the connection must close. */
  private boolean handle(byte[] frame) {
    Message message;
    try {
      message = MessageCodec.decode(frame);
    } catch (CodecException e) {
      synchronized (this) {
        if (!requestIds) {
          // It may have been a response: skipping it would shift every later answer.
          log.warn("undecodable frame from {}: {}", socketPath, e.getMessage());
          return false;
        }
      }
      // With ids nothing is misattributed; an unknown event type from a newer sidecar is skipped.
      log.warn("skipping an undecodable frame from {}: {}", socketPath, e.getMessage());
      return true;
    }
    if (message instanceof Event) {
      listener.onEvent(this, (Event) message);
      return true;
    }
    if (message instanceof Response) {
      return match((Response) message);
    }
    log.warn("the sidecar at {} sent a request; closing the connection", socketPath);
    return false;
  }

  private boolean match(Response response) {
    PendingCall call;
    synchronized (this) {
      if (requestIds && response.id().isPresent()) {
        call = byId.remove(response.id().getAsLong());
        if (call == null) {
          // The answer to a call that timed out: nobody is waiting for it any more.
          log.debug("late or unknown response id {} from {}", response.id(), socketPath);
          return true;
        }
      } else if (requestIds) {
        log.warn("response without id from {} on a version 2 connection: {}", socketPath,
            response.error().orElse("(no error text)"));
        return true;
      } else {
        call = inOrder.poll();
        if (call == null) {
          log.warn("response from {} with no request waiting for it", socketPath);
          return false;
        }
      }
    }
    // Outside the lock: completing runs the call's continuations on this thread.
    call.response().complete(response.withId(OptionalLong.empty()));
    return true;
  }

  private void writeLoop() {
    try {
      while (true) {
        ByteBuffer frame;
        synchronized (this) {
          while (closeReason == null && (writing || outbound.isEmpty())) {
            wait();
          }
          if (closeReason != null) {
            return;
          }
          frame = outbound.poll();
          writing = true;
        }
        try {
          writeFully(frame);
        } finally {
          synchronized (this) {
            writing = false;
          }
        }
      }
    } catch (InterruptedException | ClosedByInterruptException e) {
      close("the client was interrupted");
    } catch (ClosedChannelException e) {
      close("the connection was closed");
    } catch (IOException e) {
      close("writing to the socket failed (" + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return "Connection[" + socketPath + ", " + readerThread.getName() + "]";
  }
}
