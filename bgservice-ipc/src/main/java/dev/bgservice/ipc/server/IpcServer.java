package dev.bgservice.ipc.server;

import dev.bgservice.concurrent.Durations;
import dev.bgservice.client.ServiceClient;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.ipc.endpoint.EndpointResolver;
import dev.bgservice.ipc.endpoint.SocketEndpoint;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.status.LifecycleStatus;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's IPC server: serves one {@link ServiceClient} (the engine, in practice an {@link
 * dev.bgservice.client.InProcessServiceClient}) to any number of local clients over a Unix domain
 * socket, speaking the base protocol and its version-2 extensions (PROTOCOL.md, {@code
 * docs/protocol.md}). It only adapts the wire to the engine: every request becomes one call of the
 * engine, every engine event a wire event.
 *
 * <pre>{@code
 * IpcServer server = IpcServer.builder(socketPath, engine).build();
 * server.start();   // throws BgServiceException if another sidecar serves socketPath
 * ...
 * server.close();   // shuttingDown to clients, then socket and lock file removed
 * }</pre>
 *
 * <p><b>One server per socket.</b> {@link #start()} takes an exclusive lock on {@code
 * <socket>.lock} and holds it until {@link #close()}; a leftover socket file is removed only when
 * nothing answers a connect on it, so a live sidecar is never displaced. Symbolic links at the
 * socket or lock path are refused.
 *
 * <p><b>Only the owner.</b> The socket directory must be private ({@link Builder#explicitPath}),
 * the socket file gets mode 0600, and every accepted connection whose peer (SO_PEERCRED) is not the
 * server's user is closed at once, without reading from it.
 *
 * <p><b>Isolation.</b> Each connection has a reader thread and a writer thread with a bounded queue
 * of encoded frames; each event is encoded once and the bytes shared. A client that stalls
 * mid-frame or stops reading delays only itself; when its queue overflows it gets an {@code
 * overflow} event (version 2) and is disconnected.
 *
 * <p><b>Threads.</b> All threads are daemons named {@code bgservice-ipc-...}; none is left once
 * {@link #close()} returns.
 */
public final class IpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IpcServer.class);

  /**
   * Default of {@link Builder#outboundQueueLimit}: 80 ms of a stream of 200,000 events a second,
   * enough to ride out a garbage collection or a busy moment of a client's machine.
   */
  public static final int DEFAULT_OUTBOUND_QUEUE_LIMIT = 16384;

  /** Default of {@link Builder#outboundQueueBytes}: 8 MiB. */
  public static final int DEFAULT_OUTBOUND_QUEUE_BYTES = 8 * 1024 * 1024;

  /** Default of {@link Builder#replayBufferSize}. */
  public static final int DEFAULT_REPLAY_BUFFER_SIZE = 1024;

  /** Default of {@link Builder#drainTimeout}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

  private static final int BACKLOG = 64;

  /** How long close() waits for threads after every connection was forced closed. */
  private static final Duration THREAD_END_TIMEOUT = Duration.ofSeconds(5);

  private enum State {
    NEW,
    RUNNING,
    CLOSING,
    CLOSED
  }

  private final Path socketPath;
  private final ServiceClient engine;
  private final int outboundQueueLimit;
  private final int outboundQueueBytes;
  private final int replayBufferSize;
  private final Duration drainTimeout;
  private final boolean explicitPath;
  private final String instanceId = UUID.randomUUID().toString();
  private final Clock clock = Clock.systemUTC();
  private final ServerThreads threads = new ServerThreads();
  private final CountDownLatch closed = new CountDownLatch(1);

  private final Object stateLock = new Object();
  // Guarded by stateLock.
  private State state = State.NEW;
  private final Set<Connection> connections = new HashSet<>();
  private long connectionCounter;

  // Set by start() before the state becomes RUNNING; read after.
  private SocketEndpoint endpoint;
  private boolean directoryPrivate;
  private InstanceLock lock;
  private ListeningSocket socket;
  private ScheduledThreadPoolExecutor timer;
  private EventStream events;
  private Subscription subscription;
  private Connection.Context context;
  private Thread acceptor;

  private IpcServer(Builder builder) {
    this.socketPath = builder.socketPath;
    this.engine = builder.engine;
    this.outboundQueueLimit = builder.outboundQueueLimit;
    this.outboundQueueBytes = builder.outboundQueueBytes;
    this.replayBufferSize = builder.replayBufferSize;
    this.drainTimeout = builder.drainTimeout;
    this.explicitPath = builder.explicitPath;
  }

  /**
   * Starts configuring a server for the socket at {@code socketPath} (made absolute) that serves
   * {@code engine}. The server does not own the engine: closing the server leaves it running.
   */
  public static Builder builder(Path socketPath, ServiceClient engine) {
    return new Builder(socketPath, engine);
  }

  /**
   * Takes the socket: checks or creates its directory, takes the lock, removes a stale socket file,
   * binds, subscribes to the engine's events and starts accepting connections.
   *
   * @throws BgServiceException with a one-sentence message and code {@code already_running} when
   *     another sidecar serves the path, {@code unsafe_directory} for a directory that is not
   *     private, {@code invalid_argument} for a path that is too long, a symbolic link or not a
   *     socket, {@code ipc_unavailable} when the socket cannot be bound; nothing is left behind
   * @throws IllegalStateException if the server was started or closed before
   */
  public void start() {
    synchronized (stateLock) {
      if (state != State.NEW) {
        throw new IllegalStateException("the IPC server can be started only once");
      }
      try {
        bindAndListen();
      } catch (RuntimeException | Error e) {
        releaseAfterFailedStart();
        state = State.CLOSED;
        closed.countDown();
        throw e;
      }
      state = State.RUNNING;
    }
    log.info("IPC server {} listening on {}", instanceId, socketPath);
  }

  private void bindAndListen() {
    endpoint = EndpointResolver.system().explicit(socketPath);
    directoryPrivate = SocketDirectory.prepare(endpoint.directory(), explicitPath);
    lock =
        InstanceLock.acquire(
            endpoint.lockPath(),
            endpoint.socketPath(),
            ProcessHandle.current().pid() + " " + instanceId + "\n");
    socket = ListeningSocket.bind(endpoint.socketPath(), BACKLOG);
    timer = new ScheduledThreadPoolExecutor(1, task -> threads.newThread("timer", task));
    timer.setRemoveOnCancelPolicy(true);
    events = new EventStream(instanceId, replayBufferSize, this::currentStatus, clock);
    context =
        new Connection.Context(
            events,
            new RequestDispatcher(engine),
            threads,
            timer,
            drainTimeout,
            outboundQueueLimit,
            outboundQueueBytes,
            clock,
            this::connectionClosed);
    // Deliver on the engine's own thread: publishing only queues frames and never blocks.
    subscription = engine.subscribe(events::publish, Runnable::run);
    acceptor = threads.newThread("accept", this::acceptLoop);
    acceptor.start();
  }

  private void releaseAfterFailedStart() {
    if (subscription != null) {
      subscription.close();
    }
    if (socket != null) {
      socket.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    if (lock != null) {
      lock.close();
    }
  }

  /** The id of this server instance, unique per start; the {@code instance} of {@code hello}. */
  public String instanceId() {
    return instanceId;
  }

  /** The absolute path of the socket. */
  public Path socketPath() {
    return socketPath;
  }

  /** The lock file beside the socket: {@code <socket>.lock}. */
  public Path lockPath() {
    return new SocketEndpoint(socketPath).lockPath();
  }

  /** The {@code seq} of the last event sent to clients; 0 before the first (and before start). */
  public long lastEventSeq() {
    EventStream stream;
    synchronized (stateLock) {
      stream = events;
    }
    return stream == null ? 0 : stream.lastSeq();
  }

  /** How many clients are connected now. */
  public int connectionCount() {
    synchronized (stateLock) {
      return connections.size();
    }
  }

  /**
   * Shuts down in order: stops accepting, sends {@code shuttingDown} to version-2 clients, lets
   * every client take its queued frames (at most the drain timeout), closes every connection and
   * removes the socket and lock files. Returns when all of that is done and the server's threads
   * have ended. Idempotent; a concurrent call waits for the first. The engine is not closed.
   */
  @Override
  public void close() {
    boolean first;
    synchronized (stateLock) {
      first = state == State.NEW || state == State.RUNNING;
      if (state == State.NEW) {
        state = State.CLOSED;
        closed.countDown();
        return;
      }
      if (first) {
        state = State.CLOSING;
      }
    }
    if (!first) {
      awaitClosedUninterruptibly();
      return;
    }
    try {
      shutDown();
    } finally {
      synchronized (stateLock) {
        state = State.CLOSED;
      }
      closed.countDown();
      log.info("IPC server {} on {} closed", instanceId, socketPath);
    }
  }

  private void shutDown() {
    boolean interrupted = Thread.interrupted();
    try {
      socket.stopAccepting();
      joinQuietly(acceptor, THREAD_END_TIMEOUT);
      subscription.close();
      List<Connection> open = events.shutDown();
      open.addAll(snapshotConnections());
      for (Connection connection : open) {
        connection.drainAndClose();
      }
      awaitNoConnections(System.nanoTime() + drainTimeout.toNanos());
      for (Connection connection : snapshotConnections()) {
        connection.close();
      }
      timer.shutdownNow();
      if (!threads.awaitAllEnded(System.nanoTime() + THREAD_END_TIMEOUT.toNanos())) {
        log.warn("some IPC threads of {} did not end within {}", socketPath, THREAD_END_TIMEOUT);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      socket.close();
      lock.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<Connection> snapshotConnections() {
    synchronized (stateLock) {
      return new ArrayList<>(connections);
    }
  }

  private void awaitNoConnections(long deadlineNanos) throws InterruptedException {
    synchronized (stateLock) {
      while (!connections.isEmpty()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(stateLock, left);
      }
    }
  }

  private void awaitClosedUninterruptibly() {
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ accepting

  private void acceptLoop() {
    while (true) {
      SocketChannel channel;
      try {
        channel = socket.channel().accept();
      } catch (ClosedChannelException e) {
        return; // close() stopped accepting
      } catch (IOException e) {
        if (!socket.channel().isOpen()) {
          return;
        }
        // Out of file descriptors, most likely: back off briefly rather than spin.
        log.warn("accepting an IPC connection on {} failed: {}", socketPath, e.toString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        continue;
      }
      admit(channel);
    }
  }

  private void admit(SocketChannel channel) {
    if (!peerIsServerUser(channel)) {
      closeQuietly(channel);
      return;
    }
    Connection connection;
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        closeQuietly(channel);
        return;
      }
      connection = new Connection(++connectionCounter, channel, context);
      connections.add(connection);
    }
    // Outside stateLock: the event stream's lock is never taken while holding it.
    if (!events.attach(connection)) {
      connection.close(); // shutting down; never started, so its threads never run
      return;
    }
    connection.start();
  }

  private boolean peerIsServerUser(SocketChannel channel) {
    try {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (peer.user().equals(socket.owner())) {
        return true;
      }
      log.warn(
          "refused an IPC connection on {} from user {}: only {} may connect",
          socketPath,
          peer.user().getName(),
          socket.owner().getName());
      return false;
    } catch (UnsupportedOperationException e) {
      // No peer credentials on this platform: the private directory is the remaining guard.
      return directoryPrivate;
    } catch (IOException e) {
      log.warn("could not read the peer of an IPC connection on {}: {}", socketPath, e.toString());
      return false;
    }
  }

  private void connectionClosed(Connection connection) {
    synchronized (stateLock) {
      connections.remove(connection);
      stateLock.notifyAll();
    }
  }

  private LifecycleStatus currentStatus() {
    return Futures.await(
        engine.getLifecycleStatusAsync(), engine.callTimeout(), "lifecycle status");
  }

  private static void joinQuietly(Thread thread, Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** Configures an {@link IpcServer}. */
  public static final class Builder {
    private final Path socketPath;
    private final ServiceClient engine;
    private int outboundQueueLimit = DEFAULT_OUTBOUND_QUEUE_LIMIT;
    private int outboundQueueBytes = DEFAULT_OUTBOUND_QUEUE_BYTES;
    private int replayBufferSize = DEFAULT_REPLAY_BUFFER_SIZE;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private boolean explicitPath;

    private Builder(Path socketPath, ServiceClient engine) {
      this.socketPath = Objects.requireNonNull(socketPath, "socketPath").toAbsolutePath();
      this.engine = Objects.requireNonNull(engine, "engine");
      if (this.socketPath.getFileName() == null) {
        throw new IllegalArgumentException("socketPath must name a file: " + socketPath);
      }
    }

    /**
     * How many event frames may wait for one client before it counts as too slow and is
     * disconnected (with an {@code overflow} event on version 2); also how many of its requests may
     * be unanswered before the server stops reading from it. Default 16384.
     */
    public Builder outboundQueueLimit(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("outboundQueueLimit must be at least 1: " + frames);
      }
      this.outboundQueueLimit = frames;
      return this;
    }

    /**
     * How many bytes of frames may wait for one client: an event that would take its queue above
     * this counts as too slow, like one beyond {@link #outboundQueueLimit}, and while the queue
     * holds this much the server stops reading the client's requests. An event that finds the
     * queue empty is sent however large. Bounds what a slow client costs when events are large.
     * Default 8 MiB.
     */
    public Builder outboundQueueBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("outboundQueueBytes must be at least 1: " + bytes);
      }
      this.outboundQueueBytes = bytes;
      return this;
    }

    /**
     * How many of the latest events are kept for clients that resume with {@code hello{instance,
     * resumeAfter}}. Default 1024.
     */
    public Builder replayBufferSize(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("replayBufferSize must be at least 1: " + events);
      }
      this.replayBufferSize = events;
      return this;
    }

    /**
     * How long a connection that is being closed (overflow, a broken frame, end of input, shutdown)
     * may take to receive its last frames before it is cut. Default 2 s.
     */
    public Builder drainTimeout(Duration timeout) {
      Durations.requirePositive(timeout, "drainTimeout");
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * Whether the user chose the socket path explicitly (rather than the default location of {@link
     * EndpointResolver}). By default the socket's directory must have mode 0700; for an explicit
     * path it may also be readable and traversable by group and others, but never writable by them.
     * Either way it must be owned by the server's user. Default false.
     */
    public Builder explicitPath(boolean explicit) {
      this.explicitPath = explicit;
      return this;
    }

    /** Builds the server; {@link IpcServer#start()} takes the socket. */
    public IpcServer build() {
      return new IpcServer(this);
    }
  }
}
