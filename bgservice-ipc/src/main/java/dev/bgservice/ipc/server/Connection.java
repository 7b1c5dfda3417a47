package dev.bgservice.ipc.server;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: a reader thread that reads and carries out requests, and a writer thread
 * that drains the connection's {@link OutboundQueue}. Nothing another connection or the service
 * does ever waits for this client: a stalled reader blocks only its own thread, and a client that
 * does not read fills only its own queue until it is disconnected.
 *
 * <p><b>Writing.</b> The writer sends everything queued at each wake-up with one write where it
 * can ({@link BatchWriter}). An answer ready on the reader thread while nothing is queued, the
 * writer is idle and the client has sent no further request yet is written by the reader itself,
 * which spares a hand-over between threads on every round trip. Answers to pipelined requests are
 * queued, so that the writer sends them in batches; answers completed on other threads (the
 * engine's) are always queued, so the service never waits for a client's socket. Either way no
 * frame overtakes one queued before it. A reader writing an answer to a client that does not read
 * stops reading from it, which delays only that client.
 *
 * <p><b>Order.</b> On a base connection (no {@code hello}, or one with a version below 2) the
 * reader carries out one request at a time and sends its answer before reading the next, so
 * answers come strictly in request order; as part A has no ids and no version-2 fields, ids are not
 * echoed and {@code params}, {@code wait} and {@code timeoutMs} are ignored. After a version-2
 * {@code hello} the reader starts each request in arrival order and reads on; answers are sent
 * when they are ready and carry the request's id, and answers to requests without an id keep their
 * requests' order among themselves.
 *
 * <p><b>Ending.</b> A connection ends at the client's end of stream (after its pending answers), at
 * a frame that breaks the framing (after an error answer), on overflow, at server shutdown, or on
 * an I/O error. Every ending but the last lets the writer drain, bounded by the drain timeout.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  /** The most bytes of frames the writer sends with one write. */
  static final int BATCH_BYTES = 64 * 1024;

  /**
   * How long the writer may wait for more events to fill a batch while events stream in fast (see
   * {@link OutboundQueue}): at 200,000 events a second about 20 events, for a tenth of a
   * millisecond of delay.
   */
  static final Duration WRITE_LINGER = Duration.ofNanos(100_000);

  private final long id;
  private final SocketChannel channel;
  private final Context context;
  private final OutboundQueue out;
  private final Thread reader;
  private final Thread writer;
  // Used by the reader thread only, for answers it writes itself.
  private final FrameWriter directAnswers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  // Written and read by the reader thread only.
  private boolean version2;
  // Whether the client had sent more requests already when the current one was read.
  private boolean pipelining;
  private CompletableFuture<Void> unnumberedAnswers = CompletableFuture.completedFuture(null);
  // Written by the reader thread, read by whichever thread completes the last answer.
  private volatile boolean inputEnded;
  private volatile ScheduledFuture<?> drainDeadline;

  /**
   * What every connection of one server shares.
   *
   * @param events the server's event stream
   * @param dispatcher carries out requests on the engine
   * @param threads creates and tracks the server's threads
   * @param timer runs drain deadlines
   * @param drainTimeout how long an ending connection may take to send its last frames
   * @param queueLimit the frame limit of each connection's {@link OutboundQueue}
   * @param queueBytes the byte limit of each connection's {@link OutboundQueue}
   * @param clock for the timestamp of {@code overflow}
   * @param onClosed called once when the connection has closed
   */
  record Context(
      EventStream events,
      RequestDispatcher dispatcher,
      ServerThreads threads,
      ScheduledExecutorService timer,
      Duration drainTimeout,
      int queueLimit,
      int queueBytes,
      Clock clock,
      Consumer<Connection> onClosed) {}

  Connection(long id, SocketChannel channel, Context context) {
    this.id = id;
    this.channel = Objects.requireNonNull(channel, "channel");
    this.context = Objects.requireNonNull(context, "context");
    this.out =
        new OutboundQueue(context.queueLimit(), context.queueBytes(), BATCH_BYTES, WRITE_LINGER);
    this.directAnswers = new FrameWriter(channel);
    this.reader = context.threads().newThread("conn-" + id + "-read", this::readLoop);
    this.writer = context.threads().newThread("conn-" + id + "-write", this::writeLoop);
  }

  /** Starts the reader and the writer. */
  void start() {
    writer.start();
    reader.start();
  }

  /** This connection's number, for logs. */
  long id() {
    return id;
  }

  /** The frames waiting to be written. */
  OutboundQueue outbound() {
    return out;
  }

  /**
   * The event stream found this connection's queue full: a version-2 client gets an {@code
   * overflow} event after the frame being written, a base client is just cut off. Called by the
   * event stream, which has already unsubscribed the connection.
   */
  void overflowed(boolean version2Stream) {
    log.warn(
        "IPC client {} fell more than {} events or {} bytes behind; disconnecting it",
        id,
        context.queueLimit(),
        context.queueBytes());
    if (version2Stream) {
      out.overflow();
    } else {
      out.discardAndFinish();
    }
    startDrainDeadline();
  }

  /** Lets the writer send what is queued, then close; bounded by the drain timeout. */
  void drainAndClose() {
    out.finish(Optional.empty());
    startDrainDeadline();
  }

  /** Closes the connection now, dropping whatever is queued. Idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    out.close();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing IPC client {}", id, e);
    }
    ScheduledFuture<?> deadline = drainDeadline;
    if (deadline != null) {
      deadline.cancel(false);
    }
    context.events().detach(this);
    if (Thread.currentThread() != reader) {
      // The reader may be waiting for an answer of the engine on a base connection; nothing it
      // could still do matters once the connection is closed.
      reader.interrupt();
    }
    context.onClosed().accept(this);
  }

  // ------------------------------------------------------------------ reader

  private void readLoop() {
    FrameReader frames = new FrameReader(channel);
    // True until the loop hands the ending over to the writer (drain, then close).
    boolean closeOnExit = true;
    try {
      while (true) {
        if (!out.awaitRequestSlot()) {
          closeOnExit = false; // someone else is ending the connection and owns the drain
          return;
        }
        Optional<byte[]> payload;
        try {
          payload = frames.readFrame();
        } catch (CodecException e) {
          // A bad length or a truncated frame: the stream cannot be resynchronised (A.8).
          log.debug("IPC client {} broke the framing: {}", id, e.getMessage());
          answer(Response.failure(e));
          drainAndClose();
          closeOnExit = false;
          return;
        }
        if (payload.isEmpty()) {
          out.releaseRequestSlot();
          endOfInput();
          closeOnExit = false;
          return;
        }
        pipelining = frames.hasBufferedBytes();
        handle(payload.get());
      }
    } catch (ClosedChannelException e) {
      // Closed by the writer, a deadline or the server: nothing left to read.
    } catch (IOException e) {
      log.debug("IPC client {} read failed: {}", id, e.toString());
    } catch (InterruptedException e) {
      // Interrupted by close().
    } finally {
      if (closeOnExit) {
        close();
      }
    }
  }

  private void handle(byte[] payload) throws InterruptedException {
    Request request;
    try {
      request = MessageCodec.decodeRequest(payload);
    } catch (CodecException e) {
      // A complete frame that is not a valid request: answer it and keep the connection (A.8).
      Response failure = Response.failure(e);
      answer(version2 ? failure.withId(e.requestId()) : failure);
      return;
    }
    if (request instanceof Request.Hello) {
      hello((Request.Hello) request);
    } else if (version2) {
      startVersion2(request);
    } else {
      // Part A exactly: one request at a time, no id echoed, version-2 fields ignored.
      try {
        answer(context.dispatcher().dispatch(baseForm(request)).get());
      } catch (ExecutionException e) {
        throw new AssertionError("dispatcher answers never fail", e);
      }
    }
  }

  /**
   * Starts a request of a version-2 connection and reads on. An answer is queued when it is ready;
   * answers to requests without an id are queued in the order of their requests.
   */
  private void startVersion2(Request request) {
    inFlight.incrementAndGet();
    CompletableFuture<Response> answer = context.dispatcher().dispatch(request);
    CompletableFuture<Void> queued;
    if (request.id().isPresent()) {
      queued = answer.thenAccept(response -> answer(response.withId(request.id())));
    } else {
      queued =
          unnumberedAnswers.thenCombine(
              answer,
              (previous, response) -> {
                answer(response);
                return null;
              });
      unnumberedAnswers = queued;
    }
    queued.whenComplete(
        (done, failure) -> {
          if (inFlight.decrementAndGet() == 0 && inputEnded) {
            drainAndClose();
          }
        });
  }

  /** The request as part A defines it: the version-2 fields {@code params} and so on dropped. */
  private static Request baseForm(Request request) {
    if (request instanceof Request.Start) {
      StartConfig config = ((Request.Start) request).config();
      return new Request.Start(
          new StartConfig(config.serviceLabel(), config.foregroundServiceType(), null));
    } else if (request instanceof Request.Stop) {
      return new Request.Stop();
    }
    return request; // its id, if any, is not echoed
  }

  private void hello(Request.Hello hello) {
    if (hello.version() < EventStream.PROTOCOL_VERSION && !version2) {
      // A base client: tell it our version and serve it exactly as before.
      answer(Response.success(HelloData.base(EventStream.PROTOCOL_VERSION).toJson()));
      return;
    }
    try {
      context.events().hello(this, hello);
      version2 = true;
    } catch (RuntimeException e) {
      // The status could not be had: the connection stays as it was.
      answer(
          RequestDispatcher.failure(hello, e).withId(version2 ? hello.id() : OptionalLong.empty()));
    }
  }

  private void endOfInput() {
    inputEnded = true;
    if (inFlight.get() == 0) {
      drainAndClose();
    }
  }

  /**
   * Sends an answer, replacing one too large to send by an error under the same id. On the reader
   * thread it is written at once when the client waits for it (no further request has arrived) and
   * nothing is queued and the writer is idle; otherwise it is queued.
   */
  private void answer(Response response) {
    ByteBuffer frame;
    try {
      frame = MessageCodec.encodeFrame(response);
    } catch (CodecException e) {
      frame =
          MessageCodec.encodeFrame(
              Response.failure(
                      ErrorCode.INTERNAL, "The answer is too large to send: " + e.getMessage())
                  .withId(response.id()));
    }
    if (Thread.currentThread() == reader && !pipelining && out.claimForAnswer()) {
      writeDirectly(frame);
    } else {
      out.putResponse(frame, OutboundQueue.NO_SEQ);
    }
  }

  /** Writes an answer on the reader thread, which holds the channel claimed from the queue. */
  private void writeDirectly(ByteBuffer frame) {
    try {
      directAnswers.writeFrame(frame);
    } catch (IOException e) {
      // Closed by the writer, a deadline or the server, or a broken connection: either way over.
      log.debug("IPC client {} write failed: {}", id, e.toString());
      close();
    } finally {
      out.answerWritten();
    }
  }

  // ------------------------------------------------------------------ writer

  private void writeLoop() {
    BatchWriter frames = new BatchWriter(channel, BATCH_BYTES);
    List<OutboundQueue.Item> batch = new ArrayList<>();
    // The seq of the last event written to this client.
    long position = 0;
    try {
      while (out.takeBatch(batch)) {
        for (OutboundQueue.Item item : batch) {
          if (item == OutboundQueue.Item.OVERFLOW) {
            // Its seq repeats the last event this client was sent: the point to resume after.
            frames.add(
                MessageCodec.encodeFrame(
                    new Event.Overflow(
                        OptionalLong.of(position), OptionalLong.of(context.clock().millis()))));
            frames.flush();
            return;
          }
          frames.add(item.frame());
          if (item.seq() != OutboundQueue.NO_SEQ) {
            position = item.seq();
          }
        }
        frames.flush();
        batch.clear();
      }
    } catch (ClosedChannelException e) {
      // Closed by a deadline, the reader or the server.
    } catch (IOException e) {
      log.debug("IPC client {} write failed: {}", id, e.toString());
    } catch (InterruptedException e) {
      // Not interrupted by this package; end as if closed.
    } finally {
      close();
    }
  }

  private void startDrainDeadline() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    try {
      drainDeadline =
          context
              .timer()
              .schedule(this::close, context.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      close(); // the server is past its shutdown
    }
    if (closed.get() && drainDeadline != null) {
      drainDeadline.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "IPC client " + id;
  }
}
