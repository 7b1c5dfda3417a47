package dev.bgservice.ipc.client;

import dev.bgservice.concurrent.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.ServiceClient;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.client.StartOptions;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.EventConversions;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.ipc.endpoint.EndpointResolver;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.ServiceStatus;
import dev.bgservice.status.SetupValidationReport;
import dev.bgservice.status.StatusJson;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServiceClient} of a service running in a sidecar: one long-lived connection to the
 * sidecar's socket that survives the sidecar being restarted, upgraded or killed.
 *
 * <p><b>Connection.</b> The client connects when it is built and says {@code hello} (protocol
 * version 2) on every connection. A sidecar that answers version 1 or an error speaks only the
 * base protocol (the Rust implementation): the client then sends no request ids, matches answers
 * in strict request order and gets only the base events. When the connection drops, which the
 * reader thread notices at once, the client reconnects by its {@link ReconnectPolicy}: at once,
 * then after 1, 2, 4, ... s capped at 30 s with jitter, giving up after 10 retries by default.
 * {@link #connectionState()}, {@link #waitForConnected} and the {@link
 * ServiceListener#onConnection connection events} ({@code CONNECTING}, {@code CONNECTED}, {@code
 * DISCONNECTED}, {@code GAVE_UP}, with attempt numbers and the last error) tell the app where it
 * stands; {@link #reconnectNow()} starts a new round of attempts.
 *
 * <p><b>Calls.</b> Every call has a deadline (the {@linkplain Builder#callTimeout call timeout},
 * 10 s by default) and its future completes within it. While disconnected, calls fail at once
 * with a {@link ServiceUnavailableException} (code {@code ipc_unavailable}), except a {@code
 * start} with {@link StartOptions#waitForConnection()}, which waits for the connection within its
 * deadline, and {@link #getLifecycleStatus()}, which answers with a status synthesized from what
 * the client last knew (see {@link #getLifecycleStatusAsync()}). Calls waiting for an answer fail
 * with {@code ipc_unavailable} the moment the connection drops. A response never answers the
 * wrong request: version 2 matches by id; in the base protocol a call that times out closes the
 * connection, because its late answer would be taken for the next one's. A failure the sidecar
 * reports becomes the matching {@link BgServiceException} subclass, as in-process.
 *
 * <p><b>Events.</b> Each listener gets events in order on the executor it chose. After a
 * reconnect to the same sidecar process the client resumes after the last event it saw: the
 * sidecar replays what was missed, and the client drops duplicates and reconnects on a gap, so
 * nothing is lost or delivered twice. After the sidecar was restarted (another instance), or
 * after any reconnect to a base-protocol sidecar, which cannot replay, listeners get a {@link
 * ServiceEvent.Resync} with a fresh status snapshot, then the new events.
 *
 * <p><b>Threads.</b> A timer thread, and per connection a reader and a writer thread, all daemons
 * named {@code bgservice-ipc-client-<n>-...}; plus, when a listener uses the default executor, an
 * event thread that ends when idle. Futures complete, and {@link
 * dev.bgservice.client.Executors#sameThread()} listeners run, on these threads: do not block
 * there waiting for another call of this client. {@link #close()} ends them all. A call's request
 * is written by the calling thread itself when no other request is being written (saving a
 * hand-off to the writer thread), so a {@code ...Async} method returns once its request is
 * written: at once, unless the sidecar stopped reading, and never later than the call's deadline,
 * which then closes the connection. Calls made on the client's timer or connection threads, or
 * on an interrupted thread, leave the writing to the writer thread.
 */
public final class PersistentIpcClient implements ServiceClient {
  private static final Logger log = LoggerFactory.getLogger(PersistentIpcClient.class);

  /** The protocol version this client asks for. */
  public static final int PROTOCOL_VERSION = 2;

  private static final AtomicLong CLIENT_NUMBERS = new AtomicLong();
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  private final Path socketPath;
  private final UnixDomainSocketAddress address;
  private final Duration callTimeout;
  private final ReconnectPolicy policy;
  private final Clock clock;
  private final RandomGenerator random;
  private final Scheduler scheduler;
  private final TimerScheduler ownScheduler;
  private final Executor defaultEventExecutor;
  private final ThreadPoolExecutor ownEventExecutor;
  private final List<Thread> eventThreads = new CopyOnWriteArrayList<>();
  private final String threadPrefix;
  private final AtomicLong connectionNumbers = new AtomicLong();
  private final List<ListenerQueue> listeners = new CopyOnWriteArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a connection comes up, the client gives up, or it is closed. */
  private final Condition settled = lock.newCondition();

  // ---- guarded by lock; the volatile ones are also read without it ----
  private volatile ConnectionState state = ConnectionState.CONNECTING;
  private volatile Connection current;
  private volatile boolean closed;
  private ConnectionEvent lastConnectionEvent =
      new ConnectionEvent(ConnectionState.CONNECTING, 1, Optional.empty());
  private Connection candidate;
  private long round;
  private Scheduler.Cancellable nextAttempt = () -> {};
  private Optional<String> lastError = Optional.empty();
  private long connectedAtMillis;
  private final List<WaitingCall> waitingForConnection = new ArrayList<>();
  private final StreamPosition stream = new StreamPosition();

  private final StatusMemory memory = new StatusMemory();

  private PersistentIpcClient(Builder builder) {
    this.socketPath = builder.socketPath;
    this.address = UnixDomainSocketAddress.of(socketPath);
    this.callTimeout = builder.callTimeout;
    this.policy = builder.policy;
    this.clock = builder.clock;
    this.random = builder.random;
    this.threadPrefix = "bgservice-ipc-client-" + CLIENT_NUMBERS.incrementAndGet();
    if (builder.scheduler != null) {
      this.scheduler = builder.scheduler;
      this.ownScheduler = null;
    } else {
      this.ownScheduler = new TimerScheduler(threadPrefix + "-timer");
      this.scheduler = ownScheduler;
    }
    if (builder.eventExecutor != null) {
      this.defaultEventExecutor = builder.eventExecutor;
      this.ownEventExecutor = null;
    } else {
      this.ownEventExecutor =
          new ThreadPoolExecutor(
              1,
              1,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              task -> {
                Thread thread = new Thread(task, threadPrefix + "-events");
                thread.setDaemon(true);
                eventThreads.removeIf(t -> !t.isAlive());
                eventThreads.add(thread);
                return thread;
              });
      // The thread exists only while there is something to deliver.
      ownEventExecutor.allowCoreThreadTimeOut(true);
      this.defaultEventExecutor = ownEventExecutor;
    }
    lock.lock();
    try {
      scheduleAttemptLocked(1, Duration.ZERO);
    } finally {
      lock.unlock();
    }
  }

  /** Starts building a client of the sidecar listening on {@code socketPath}. */
  public static Builder builder(Path socketPath) {
    return new Builder(socketPath);
  }

  // ====================================================================== connection state

  /** The socket this client connects to. */
  public Path socketPath() {
    return socketPath;
  }

  /** Whether a connection is up and calls are forwarded. */
  @Override
  public boolean isConnected() {
    return current != null && !closed;
  }

  /** The state of the connection now. */
  @Override
  public ConnectionState connectionState() {
    return state;
  }

  /** The last connection change: state, attempt number and last error. */
  public ConnectionEvent lastConnectionEvent() {
    lock.lock();
    try {
      return lastConnectionEvent;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The protocol version of the current connection: 2, or 1 for a sidecar that speaks only the
   * base protocol; empty while disconnected.
   */
  public OptionalInt protocolVersion() {
    Connection connection = current;
    return connection == null ? OptionalInt.empty() : OptionalInt.of(connection.version);
  }

  /** The id of the sidecar process last connected to (version 2), if any. */
  public Optional<String> sidecarInstance() {
    lock.lock();
    try {
      return stream.instance();
    } finally {
      lock.unlock();
    }
  }

  /** The {@code seq} of the last event delivered from a version 2 sidecar; 0 before the first. */
  public long lastEventSeq() {
    lock.lock();
    try {
      return stream.lastSeq();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the client is connected, at most {@code timeout}. Woken by the connection itself,
   * not by polling. Returns false at once when the client has given up (after {@link
   * #reconnectNow()} it waits again) or is closed.
   *
   * @return true if connected, false if the timeout passed, the client gave up or was closed
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  @Override
  public boolean waitForConnected(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long nanos = Futures.saturatedNanos(timeout);
    lock.lock();
    try {
      while (current == null && !closed && state != ConnectionState.GAVE_UP) {
        if (nanos <= 0) {
          return false;
        }
        nanos = settled.awaitNanos(nanos);
      }
      return current != null && !closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts a new round of connection attempts at once: after the client gave up, or to skip the
   * wait for the next retry. Does nothing while connected, while an attempt is under way, or after
   * {@link #close()}.
   */
  public void reconnectNow() {
    lockedThenDeliver(
        () -> {
          if (closed || current != null || candidate != null) {
            return;
          }
          if (state == ConnectionState.CONNECTING) {
            return; // an attempt is about to run
          }
          newRoundLocked(Duration.ZERO);
        });
  }

  // ====================================================================== attempts

  /** Starts a new round: attempt 1 after {@code delay}. Cancels a pending retry. */
  private void newRoundLocked(Duration delay) {
    round++;
    nextAttempt.cancel();
    scheduleAttemptLocked(1, delay);
  }

  private void scheduleAttemptLocked(int attempt, Duration delay) {
    long attemptRound = round;
    boolean now = delay.isZero();
    if (now) {
      transitionLocked(ConnectionState.CONNECTING, attempt);
    } else {
      transitionLocked(ConnectionState.DISCONNECTED, attempt - 1);
    }
    nextAttempt = scheduler.schedule(delay, () -> runAttempt(attemptRound, attempt, !now));
  }

  private void runAttempt(long attemptRound, int attempt, boolean announce) {
    lock.lock();
    try {
      if (closed || attemptRound != round) {
        return;
      }
      if (announce) {
        transitionLocked(ConnectionState.CONNECTING, attempt);
      }
    } finally {
      lock.unlock();
    }
    dispatchAll();

    String name = threadPrefix + "-conn" + connectionNumbers.incrementAndGet();
    SocketChannel channel = null;
    Connection connection;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(address);
      connection =
          new Connection(channel, socketPath, name, connectionListener, this::isTimerThread);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      attemptFailed(attemptRound, attempt, "cannot connect to " + socketPath + ": " + describe(e));
      return;
    }
    Request.Hello hello;
    lock.lock();
    try {
      if (closed || attemptRound != round) {
        connection.discard();
        return;
      }
      candidate = connection;
      // Started under the lock, so a concurrent close() finds threads it can wait for.
      connection.start();
      hello =
          new Request.Hello(
              OptionalLong.empty(), PROTOCOL_VERSION, stream.instance(), stream.resumeAfter());
    } finally {
      lock.unlock();
    }

    // The hello is the first request on the connection, so the first response answers it.
    PendingCall helloCall = new PendingCall(hello);
    Scheduler.Cancellable helloDeadline =
        scheduler.schedule(
            callTimeout,
            () ->
                helloCall
                    .response()
                    .completeExceptionally(
                        new ServiceTimeoutException(
                            "the sidecar did not answer hello within "
                                + Futures.format(callTimeout))));
    helloCall
        .response()
        .whenComplete(
            (response, failure) -> {
              helloDeadline.cancel();
              if (failure != null) {
                String reason = failure.getMessage();
                connection.close("the hello failed (" + reason + ")");
                attemptFailed(attemptRound, attempt, "hello failed: " + reason);
              } else {
                onHelloAnswer(attemptRound, attempt, connection, response);
              }
            });
    if (!connection.send(helloCall)) {
      helloCall
          .response()
          .completeExceptionally(connection.lost("hello", "the connection closed at once"));
    }
  }

  private void attemptFailed(long attemptRound, int attempt, String error) {
    List<WaitingCall> abandoned = List.of();
    lock.lock();
    try {
      if (closed || attemptRound != round) {
        return;
      }
      candidate = null;
      lastError = Optional.of(error);
      log.debug("attempt {} to connect to {} failed: {}", attempt, socketPath, error);
      int retry = attempt; // attempt k failed; retry k is attempt k + 1
      if (policy.allowsRetry(retry)) {
        scheduleAttemptLocked(attempt + 1, policy.delay(retry, random));
      } else {
        transitionLocked(ConnectionState.GAVE_UP, attempt);
        settled.signalAll();
        abandoned = new ArrayList<>(waitingForConnection);
        waitingForConnection.clear();
        log.warn("giving up on the sidecar at {} after {} attempts: {}", socketPath, attempt, error);
      }
    } finally {
      lock.unlock();
    }
    dispatchAll();
    for (WaitingCall waiting : abandoned) {
      waiting.result.completeExceptionally(notConnected());
    }
  }

  /** Runs on the reader thread with the first response of the connection. */
  private void onHelloAnswer(
      long attemptRound, int attempt, Connection connection, Response response) {
    List<WaitingCall> toSend = List.of();
    boolean fetchSnapshot = false;
    String rejection = null; // why the connection is not taken
    boolean attemptFailed = false;
    lock.lock();
    try {
      if (closed || attemptRound != round || candidate != connection) {
        rejection = "the client no longer needs this connection";
      } else if (connection.isClosed()) {
        // Closed (by its writer) while the answer was on its way: its close was not ours to see.
        rejection = "the connection closed during the hello";
        attemptFailed = true;
      } else {
        try {
          Optional<HelloData> hello = helloData(response);
          fetchSnapshot =
              hello.isPresent() && hello.get().version() >= 2
                  ? acceptVersion2Locked(connection, hello.get())
                  : acceptBaseLocked(connection);
          candidate = null;
          current = connection;
          connectedAtMillis = clock.millis();
          lastError = Optional.empty();
          transitionLocked(ConnectionState.CONNECTED, attempt);
          settled.signalAll();
          toSend = new ArrayList<>(waitingForConnection);
          waitingForConnection.clear();
        } catch (RuntimeException e) {
          rejection = "the hello answer was invalid (" + e.getMessage() + ")";
          attemptFailed = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (rejection != null) {
      connection.close(rejection);
      if (attemptFailed) {
        attemptFailed(attemptRound, attempt, rejection);
      }
      return;
    }
    dispatchAll();
    log.debug("connected to {} (protocol version {})", socketPath, connection.version);
    for (WaitingCall waiting : toSend) {
      if (!waiting.result.isDone()) {
        transmit(connection, waiting.pending, waiting.result, waiting.watch);
      }
    }
    if (fetchSnapshot) {
      deliverFetchedResync(connection);
    }
  }

  /**
   * The data of a hello answer; empty for an error answer, with which a sidecar that does not know
   * hello says it speaks the base protocol.
   *
   * @throws dev.bgservice.ipc.codec.CodecException if the data is malformed
   */
  private static Optional<HelloData> helloData(Response response) {
    return response.ok() ? Optional.of(HelloData.fromJson(response.data())) : Optional.empty();
  }

  /**
   * Takes a version 2 hello answer: resumes the event stream, or starts it over with a resync.
   * Returns whether a snapshot must still be fetched for that resync.
   */
  private boolean acceptVersion2Locked(Connection connection, HelloData hello) {
    long seq = hello.seq().orElse(0);
    connection.version = 2;
    connection.useRequestIds();
    connection.helloSeq = seq;
    // Events sent before the hello was answered carry no seq; the replay or the snapshot covers
    // them.
    connection.beforeHello.clear();
    hello.status().ifPresent(memory::record);
    if (stream.onHello(hello.instance(), seq) != StreamPosition.Start.OVER) {
      return false; // the first connection starts from now; the same sidecar replays
    }
    // Another sidecar process (or the first version 2 one): what was missed cannot be replayed.
    if (hello.status().isEmpty()) {
      return true;
    }
    publishLocked(new ServiceEvent.Resync(seq, clock.millis(), hello.status().get()));
    // The sidecar sends a resync of its own for the instance it did not know; it adds nothing.
    connection.resyncAlreadyDelivered = true;
    return false;
  }

  /**
   * Takes a base-protocol hello answer; returns whether a snapshot must be fetched for a resync
   * (after a reconnect: the base protocol cannot replay what was missed).
   */
  private boolean acceptBaseLocked(Connection connection) {
    connection.version = 1;
    for (Event event : connection.beforeHello) {
      EventConversions.toServiceEvent(event, clock.millis()).ifPresent(this::publishLocked);
    }
    connection.beforeHello.clear();
    return stream.onBaseConnection();
  }

  /** Fetches a status snapshot and delivers it as a resync, unless the connection went away. */
  private void deliverFetchedResync(Connection connection) {
    call(
            new Request.GetLifecycleStatus(),
            callTimeout,
            false,
            data -> StatusJson.lifecycleStatus(requireData(data, "getLifecycleStatus")))
        .whenComplete(
            (status, failure) -> {
              if (failure != null) {
                log.info("no status snapshot from {} after reconnecting: {}", socketPath,
                    Futures.unwrap(failure).getMessage());
                return;
              }
              lockedThenDeliver(
                  () -> {
                    if (current == connection) {
                      memory.record(status);
                      publishLocked(
                          new ServiceEvent.Resync(
                              connection.version >= 2 ? connection.helloSeq : 0,
                              clock.millis(),
                              status));
                    }
                  });
            });
  }

  /**
   * Whether {@code thread} is the client's own timer thread, which runs the deadlines that end a
   * blocked write and so must never block on the socket itself.
   */
  private boolean isTimerThread(Thread thread) {
    return ownScheduler != null && ownScheduler.isTimerThread(thread);
  }

  // ====================================================================== connection callbacks

  private final Connection.Listener connectionListener =
      new Connection.Listener() {
        @Override
        public void onEvent(Connection connection, Event event) {
          Optional<Runnable> followUp;
          lock.lock();
          try {
            followUp = onEventLocked(connection, event);
          } finally {
            lock.unlock();
          }
          dispatchAll();
          followUp.ifPresent(Runnable::run);
        }

        @Override
        public void onClosed(Connection connection, String reason) {
          onConnectionClosed(connection, reason);
        }
      };

  /**
   * Takes an event of {@code connection}: buffers, drops or publishes it. Returns what must follow
   * once the lock is released, if anything: closing a connection whose stream broke, or ending a
   * call that waited for this event.
   */
  private Optional<Runnable> onEventLocked(Connection connection, Event event) {
    if (connection == candidate) {
      connection.beforeHello.add(event);
      return Optional.empty();
    }
    if (connection != current) {
      return Optional.empty();
    }
    if (event instanceof Event.Overflow) {
      log.warn("the sidecar at {} found this client too slow and disconnects it", socketPath);
      return Optional.empty();
    }
    Optional<ServiceEvent> converted = EventConversions.toServiceEvent(event, clock.millis());
    if (converted.isEmpty()) {
      return Optional.empty();
    }
    ServiceEvent serviceEvent = converted.get();
    Optional<Runnable> followUp = Optional.empty();
    if (connection.version >= 2) {
      Optional<Boolean> accepted = acceptVersion2EventLocked(connection, event, serviceEvent);
      if (accepted.isEmpty()) {
        String reason =
            "events " + (stream.lastSeq() + 1) + " to " + (event.seq().getAsLong() - 1)
                + " were missing";
        return Optional.of(() -> connection.close(reason));
      }
      if (!accepted.get()) {
        return Optional.empty();
      }
    } else {
      for (OutcomeWatch watch : connection.watches) {
        followUp = watch.settlement(serviceEvent);
        if (followUp.isPresent()) {
          connection.watches.remove(watch);
          break;
        }
      }
    }
    publishLocked(serviceEvent);
    return followUp;
  }

  /**
   * Checks a version 2 event against the stream position: true to deliver it, false to drop it
   * (a duplicate, or a resync already delivered), empty for a gap.
   */
  private Optional<Boolean> acceptVersion2EventLocked(
      Connection connection, Event event, ServiceEvent serviceEvent) {
    if (serviceEvent instanceof ServiceEvent.Resync resync) {
      // Outside the numbered stream: its seq is the event its snapshot includes, and the stream
      // goes on after it (docs/protocol.md, section 5).
      stream.restartAt(event.seq().orElse(connection.helloSeq));
      memory.record(resync.status());
      if (connection.resyncAlreadyDelivered) {
        connection.resyncAlreadyDelivered = false;
        return Optional.of(false);
      }
      return Optional.of(true);
    }
    connection.resyncAlreadyDelivered = false;
    if (event.seq().isEmpty()) {
      log.warn("event {} from {} has no seq on a version 2 connection", event.type(), socketPath);
      return Optional.of(true);
    }
    long seq = event.seq().getAsLong();
    switch (stream.offer(seq)) {
      case DELIVER:
        return Optional.of(true);
      case DUPLICATE:
        log.debug("dropping duplicate event {} (last seen {})", seq, stream.lastSeq());
        return Optional.of(false);
      default:
        log.warn("event gap from {}: expected seq {}, got {}; reconnecting to resume",
            socketPath, stream.lastSeq() + 1, seq);
        return Optional.empty();
    }
  }

  private void onConnectionClosed(Connection connection, String reason) {
    List<OutcomeWatch> watches;
    lock.lock();
    try {
      watches = new ArrayList<>(connection.watches);
      connection.watches.clear();
      if (connection == current) {
        current = null;
        lastError = Optional.of(reason);
        log.info("lost the connection to {}: {}", socketPath, reason);
        if (!closed) {
          long connectedFor = clock.millis() - connectedAtMillis;
          transitionLocked(ConnectionState.DISCONNECTED, 0);
          // A connection that drops as soon as it is up must not turn into a busy loop.
          Duration delay =
              connectedFor >= policy.initialDelay().toMillis()
                  ? Duration.ZERO
                  : policy.delay(1, random);
          newRoundLocked(delay);
        }
      }
    } finally {
      lock.unlock();
    }
    dispatchAll();
    for (OutcomeWatch watch : watches) {
      watch.done().completeExceptionally(connection.lost("the outcome of a call", reason));
    }
  }

  // ====================================================================== calls

  /** A call waiting for a connection ({@code start} with {@code waitForConnection}). */
  private record WaitingCall(
      PendingCall pending, CompletableFuture<Response> result, Optional<WatchSpec> watch) {}

  /** A base-protocol wait for an event after the response; see {@link OutcomeWatch}. */
  private record WatchSpec(OutcomeWatch.Kind kind, Optional<Duration> timeout) {}

  private <T> CompletableFuture<T> call(
      Request request, Duration deadline, boolean waitForConnection, Function<Response, T> decode) {
    return call(request, deadline, waitForConnection, Optional.empty(), decode);
  }

  private <T> CompletableFuture<T> call(
      Request request,
      Duration deadline,
      boolean waitForConnection,
      Optional<WatchSpec> watch,
      Function<Response, T> decode) {
    return exchange(request, deadline, waitForConnection, watch)
        .thenCompose(
            response -> {
              if (!response.ok()) {
                return CompletableFuture.failedFuture(response.toException());
              }
              try {
                return CompletableFuture.completedFuture(decode.apply(response));
              } catch (IllegalArgumentException | NullPointerException e) {
                return CompletableFuture.failedFuture(
                    new BgServiceException(
                        ErrorCode.INTERNAL,
                        "The sidecar at "
                            + socketPath
                            + " sent an invalid answer to "
                            + request.type()
                            + ": "
                            + e.getMessage(),
                        e));
              }
            });
  }

  /** Sends a request and completes with its response, within {@code deadline}. */
  private CompletableFuture<Response> exchange(
      Request request, Duration deadline, boolean waitForConnection, Optional<WatchSpec> watch) {
    PendingCall pending = new PendingCall(request);
    CompletableFuture<Response> result = new CallFuture<>(pending);
    Connection connection;
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(notConnected());
      }
      connection = current;
      if (connection == null) {
        if (!waitForConnection || state == ConnectionState.GAVE_UP) {
          return CompletableFuture.failedFuture(notConnected());
        }
        waitingForConnection.add(new WaitingCall(pending, result, watch));
      }
    } finally {
      lock.unlock();
    }
    Scheduler.Cancellable timer =
        scheduler.schedule(deadline, () -> onDeadline(pending, result, deadline));
    result.whenComplete((response, failure) -> timer.cancel());
    if (connection != null) {
      transmit(connection, pending, result, watch);
    }
    return result;
  }

  private void transmit(
      Connection connection,
      PendingCall pending,
      CompletableFuture<Response> result,
      Optional<WatchSpec> watchSpec) {
    OutcomeWatch watch = null;
    if (watchSpec.isPresent() && connection.version < 2) {
      OutcomeWatch created = new OutcomeWatch(watchSpec.get().kind());
      watch = created;
      locked(() -> connection.watches.add(created));
      watchSpec
          .get()
          .timeout()
          .ifPresent(
              timeout -> {
                Scheduler.Cancellable timer =
                    scheduler.schedule(
                        timeout,
                        () ->
                            created
                                .done()
                                .completeExceptionally(
                                    new ServiceTimeoutException(
                                        "The service did not stop within "
                                            + Futures.format(timeout)
                                            + ".")));
                created.done().whenComplete((ignored, failure) -> timer.cancel());
              });
    }
    OutcomeWatch finalWatch = watch;
    if (finalWatch != null) {
      // However the call ends (answer, deadline, lost connection), its watch goes with it.
      result.whenComplete((ignored, failure) -> dropWatch(connection, finalWatch));
    }
    boolean sent;
    try {
      sent = connection.send(pending);
    } catch (CodecException e) {
      result.completeExceptionally(e);
      return;
    }
    if (!sent) {
      result.completeExceptionally(
          connection.isClosed()
              ? connection.lost(pending.type(), "the connection was lost")
              : new ServiceUnavailableException(
                  "The sidecar at "
                      + socketPath
                      + " is not reading requests ("
                      + Connection.OUTBOUND_LIMIT
                      + " are queued).",
                  null));
      return;
    }
    pending
        .response()
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failure);
              } else if (finalWatch == null || !response.ok()) {
                result.complete(response);
              } else {
                finalWatch
                    .done()
                    .whenComplete(
                        (ignored, watchFailure) -> {
                          if (watchFailure != null) {
                            result.completeExceptionally(watchFailure);
                          } else {
                            result.complete(response);
                          }
                        });
              }
            });
  }

  private void dropWatch(Connection connection, OutcomeWatch watch) {
    if (watch != null) {
      locked(() -> connection.watches.remove(watch));
    }
  }

  private void onDeadline(PendingCall pending, CompletableFuture<Response> result, Duration deadline) {
    Connection sentOn = pending.sentOn();
    BgServiceException failure;
    if (sentOn == null) {
      failure =
          new ServiceUnavailableException(
              "The sidecar at "
                  + socketPath
                  + " could not be reached within "
                  + Futures.format(deadline)
                  + " to send "
                  + pending.type()
                  + lastError().map(e -> " (last error: " + e + ")").orElse("")
                  + ".",
              null);
    } else {
      failure =
          new ServiceTimeoutException(
              "The sidecar at "
                  + socketPath
                  + " did not answer "
                  + pending.type()
                  + " within "
                  + Futures.format(deadline)
                  + ".");
    }
    if (!result.completeExceptionally(failure)) {
      return;
    }
    locked(() -> waitingForConnection.removeIf(waiting -> waiting.pending == pending));
    if (sentOn != null) {
      sentOn.abandon(pending);
    }
  }

  private Optional<String> lastError() {
    lock.lock();
    try {
      return lastError;
    } finally {
      lock.unlock();
    }
  }

  /** The failure of a call made while no connection is up. */
  private ServiceUnavailableException notConnected() {
    lock.lock();
    try {
      String error = lastError.map(e -> "; last error: " + e).orElse("");
      String message;
      switch (state) {
        case CLOSED:
          message = "The client of the sidecar at " + socketPath + " is closed.";
          break;
        case GAVE_UP:
          message =
              "The sidecar at "
                  + socketPath
                  + " is unreachable and the client gave up after "
                  + lastConnectionEvent.attempt()
                  + " attempts"
                  + error
                  + "; call reconnectNow() to try again.";
          break;
        default:
          message =
              "The sidecar at "
                  + socketPath
                  + " is not connected (reconnecting, attempt "
                  + lastConnectionEvent.attempt()
                  + ")"
                  + error
                  + ".";
      }
      return new ServiceUnavailableException(message, null);
    } finally {
      lock.unlock();
    }
  }

  // ====================================================================== ServiceClient

  @Override
  public CompletableFuture<Void> startAsync(StartConfig config, StartOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    Duration deadline = options.timeout().orElse(callTimeout);
    Optional<WatchSpec> watch =
        options.waitForInit()
            ? Optional.of(new WatchSpec(OutcomeWatch.Kind.INIT, Optional.empty()))
            : Optional.empty();
    return call(
        new Request.Start(OptionalLong.empty(), config, options.waitForInit()),
        deadline,
        options.waitForConnection(),
        watch,
        response -> {
          memory.recordIntent(true);
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> stopAsync(Optional<Duration> timeout) {
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(
        t -> {
          if (t.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + t);
          }
        });
    Duration deadline = timeout.map(t -> t.plus(callTimeout)).orElse(callTimeout);
    Optional<WatchSpec> watch =
        timeout.map(t -> new WatchSpec(OutcomeWatch.Kind.RUN_RETURNED, Optional.of(t)));
    return call(
        new Request.Stop(
            OptionalLong.empty(),
            timeout.map(t -> OptionalLong.of(t.toMillis())).orElse(OptionalLong.empty())),
        deadline,
        false,
        watch,
        response -> {
          memory.recordIntent(false);
          return null;
        });
  }

  @Override
  public CompletableFuture<Boolean> isRunningAsync() {
    return call(
        new Request.IsRunning(),
        callTimeout,
        false,
        response -> {
          JsonNode running = requireData(response, "isRunning").get("running");
          if (running == null || !running.isBoolean()) {
            throw new IllegalArgumentException("running must be a boolean");
          }
          return running.booleanValue();
        });
  }

  @Override
  public CompletableFuture<ServiceStatus> getStateAsync() {
    return call(
        new Request.GetState(),
        callTimeout,
        false,
        response -> StatusJson.serviceStatus(requireData(response, "getState")));
  }

  /**
   * The full lifecycle status. While disconnected (or when the connection drops during the call)
   * this does not fail: it completes with a status synthesized from what the client last knew,
   * with state {@code recoveryPending} if the service was last known to be wanted running (else
   * {@code stopped}), a {@code lastError} saying the sidecar at this path is unreachable, and the
   * capabilities of the last status (or minimal ones of an OS-service sidecar). It fails only
   * after {@link #close()}, or with a timeout when a connected sidecar does not answer.
   */
  @Override
  public CompletableFuture<LifecycleStatus> getLifecycleStatusAsync() {
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(notConnected());
      }
      if (current == null) {
        return CompletableFuture.completedFuture(memory.synthesize(socketPath, lastError));
      }
    } finally {
      lock.unlock();
    }
    return call(
            new Request.GetLifecycleStatus(),
            callTimeout,
            false,
            response -> {
              LifecycleStatus status =
                  StatusJson.lifecycleStatus(requireData(response, "getLifecycleStatus"));
              memory.record(status);
              return status;
            })
        .exceptionallyCompose(
            failure -> {
              RuntimeException cause = Futures.unwrap(failure);
              if (cause instanceof ServiceUnavailableException && !closed) {
                return CompletableFuture.completedFuture(
                    memory.synthesize(socketPath, lastError()));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  @Override
  public CompletableFuture<Void> enableAutoRestartAsync(Optional<StartConfig> config) {
    Objects.requireNonNull(config, "config");
    return call(
        new Request.EnableAutoRestart(config),
        callTimeout,
        false,
        response -> {
          memory.recordIntent(true);
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> disableAutoRestartAsync() {
    return call(
        new Request.DisableAutoRestart(),
        callTimeout,
        false,
        response -> {
          memory.recordIntent(false);
          return null;
        });
  }

  @Override
  public CompletableFuture<Optional<DesiredState>> getDesiredStateAsync() {
    return call(
        new Request.GetDesiredState(),
        callTimeout,
        false,
        response -> {
          Optional<DesiredState> desired = response.data().map(StatusJson::desiredState);
          desired.ifPresent(d -> memory.recordIntent(d.desiredRunning()));
          return desired;
        });
  }

  @Override
  public CompletableFuture<SetupValidationReport> validateSetupAsync() {
    return call(
        new Request.ValidateSetup(),
        callTimeout,
        false,
        response -> StatusJson.setupValidationReport(requireData(response, "validateSetup")));
  }

  /** Subscribes a listener delivered on the client's default event executor. */
  public Subscription subscribe(ServiceListener listener) {
    return subscribe(listener, defaultEventExecutor);
  }

  @Override
  public Subscription subscribe(ServiceListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    ListenerQueue queue = new ListenerQueue(listener, executor);
    locked(
        () -> {
          if (!closed) {
            listeners.add(queue);
          }
        });
    return () -> {
      listeners.remove(queue);
      queue.close();
    };
  }

  @Override
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Closes the connection, fails every call still waiting with {@code ipc_unavailable}, stops
   * delivering events and ends the client's threads (waiting a bounded time for them, except for
   * the thread calling this). Idempotent.
   */
  @Override
  public void close() {
    Connection connected;
    Connection connecting;
    List<WaitingCall> waiting;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      round++;
      nextAttempt.cancel();
      connected = current;
      connecting = candidate;
      current = null;
      candidate = null;
      state = ConnectionState.CLOSED;
      lastConnectionEvent = new ConnectionEvent(ConnectionState.CLOSED, 0, lastError);
      waiting = new ArrayList<>(waitingForConnection);
      waitingForConnection.clear();
      settled.signalAll();
    } finally {
      lock.unlock();
    }
    for (Connection connection : new Connection[] {connected, connecting}) {
      if (connection != null) {
        connection.close("the client was closed");
      }
    }
    for (WaitingCall call : waiting) {
      call.result.completeExceptionally(notConnected());
    }
    listeners.forEach(ListenerQueue::close);
    listeners.clear();
    if (ownScheduler != null) {
      ownScheduler.shutdown(JOIN_TIMEOUT);
    }
    for (Connection connection : new Connection[] {connected, connecting}) {
      if (connection != null) {
        connection.join(JOIN_TIMEOUT);
      }
    }
    if (ownEventExecutor != null) {
      ownEventExecutor.shutdown();
      for (Thread thread : eventThreads) {
        Threads.join(thread, JOIN_TIMEOUT);
      }
    }
  }

  @Override
  public String toString() {
    return "PersistentIpcClient[" + socketPath + ", " + state.wireName() + "]";
  }

  // ====================================================================== helpers

  private static JsonNode requireData(Response response, String type) {
    return response
        .data()
        .orElseThrow(() -> new IllegalArgumentException("the " + type + " answer has no data"));
  }

  // ====================================================================== delivery

  private void transitionLocked(ConnectionState newState, int attempt) {
    ConnectionEvent event = new ConnectionEvent(newState, attempt, lastError);
    if (event.equals(lastConnectionEvent) && state == newState) {
      return;
    }
    state = newState;
    lastConnectionEvent = event;
    for (ListenerQueue queue : listeners) {
      queue.enqueue(event);
    }
  }

  private void publishLocked(ServiceEvent event) {
    for (ListenerQueue queue : listeners) {
      queue.enqueue(event);
    }
  }

  /** Runs {@code body}, which publishes nothing, under the lock. */
  private void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code body} under the lock, then dispatches what it enqueued, outside the lock. Only
   * for code that publishes: a dispatch may run same-thread listeners on the calling thread.
   */
  private void lockedThenDeliver(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
    dispatchAll();
  }

  private void dispatchAll() {
    for (ListenerQueue queue : listeners) {
      queue.dispatch();
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing a socket failed", e);
      }
    }
  }

  // ====================================================================== builder

  /** Configures a {@link PersistentIpcClient}. */
  public static final class Builder {
    private final Path socketPath;
    private Duration callTimeout = Duration.ofSeconds(10);
    private ReconnectPolicy policy = ReconnectPolicy.DEFAULT;
    private Executor eventExecutor;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder(Path socketPath) {
      Objects.requireNonNull(socketPath, "socketPath");
      if (socketPath.getFileName() == null) {
        throw new IllegalArgumentException("socket path must name a file: " + socketPath);
      }
      this.socketPath = socketPath.toAbsolutePath();
    }

    /** The deadline of every call unless the call sets its own; default 10 s. */
    public Builder callTimeout(Duration callTimeout) {
      Durations.requirePositive(callTimeout, "callTimeout");
      this.callTimeout = callTimeout;
      return this;
    }

    /** When to reconnect and when to give up; default {@link ReconnectPolicy#DEFAULT}. */
    public Builder reconnectPolicy(ReconnectPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where {@link PersistentIpcClient#subscribe(ServiceListener)} delivers; default a thread of
     * the client's own that exists only while there are events to deliver.
     */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Runs connection attempts and call deadlines; default a thread of the client's own. The
     * client does not shut a given scheduler down. For tests: a call made on a thread of a given
     * scheduler may write its request on that thread, and so wait for its own deadline when the
     * sidecar does not read.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Timestamps events of base-protocol sidecars and times connections; default UTC system. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of the reconnect jitter; default the JDK's default generator. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the client; it starts connecting at once, in the background.
     *
     * @throws dev.bgservice.ipc.endpoint.EndpointException with code {@code invalid_argument} if
     *     the socket path is too long for the platform
     */
    public PersistentIpcClient build() {
      // A path the platform cannot connect to would only fail every attempt: say so now.
      EndpointResolver.system().explicit(socketPath);
      return new PersistentIpcClient(this);
    }
  }
}
