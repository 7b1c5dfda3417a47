package dev.bgservice.ipc.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.CodecException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.FrameWriter;
import dev.bgservice.ipc.codec.HelloData;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.SetupValidationReport;
import dev.bgservice.status.StatusJson;
import dev.bgservice.status.StatusState;
import dev.bgservice.status.Support;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small but real sidecar for the client's tests: a Unix-socket server speaking the wire
 * protocol through the codec, over a toy service state (running or not, the intent, numbered
 * events with a replay log). Its behaviour is configurable: the dialect it speaks, whether it
 * answers a type of request at all, how its resync is numbered.
 *
 * <p>Its threads are named {@code test-sidecar-...}, so they never count as the client's.
 */
final class TestSidecar implements AutoCloseable {

  /** What the sidecar speaks. */
  enum Dialect {
    /** Version 2: ids, seq, resume. */
    V2,
    /** The base protocol, answering hello with {@code {"version":1}}. */
    BASE_VERSION_1,
    /** The base protocol, answering hello with an error (a peer that does not know hello). */
    BASE_ERROR
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Path socketPath;
  private final Dialect dialect;
  private final String instance;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object lock = new Object();
  private volatile boolean closed;

  // Guarded by lock.
  private final State state;
  private final List<String> stalledTypes = new ArrayList<>();
  private CountDownLatch stallRelease = new CountDownLatch(1);
  private final List<Runnable> heldAnswers = new ArrayList<>();
  private Optional<String> nextInitFailure = Optional.empty();

  /** The toy service and its event log; carried over by {@link #resume}. */
  private static final class State {
    boolean running;
    boolean desiredRunning;
    boolean intentPersisted;
    Optional<StartConfig> lastStartConfig = Optional.empty();
    long seq;
    final Deque<Event> log = new ArrayDeque<>();
    int logLimit = 1024;
  }

  private TestSidecar(Path socketPath, Dialect dialect, String instance, State state)
      throws IOException {
    this.socketPath = socketPath;
    this.dialect = dialect;
    this.instance = instance;
    this.state = state;
    Files.deleteIfExists(socketPath);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socketPath));
    acceptor = new Thread(this::acceptLoop, "test-sidecar-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A new sidecar process (a fresh instance id) speaking {@code dialect}. */
  static TestSidecar start(Path socketPath, Dialect dialect) throws IOException {
    return new TestSidecar(socketPath, dialect, UUID.randomUUID().toString(), new State());
  }

  /**
   * A sidecar with the instance, state and event log of {@code previous} (which must be closed):
   * as if the same process had only lost its socket for a while.
   */
  static TestSidecar resume(TestSidecar previous) throws IOException {
    return new TestSidecar(previous.socketPath, previous.dialect, previous.instance, previous.state);
  }

  String instance() {
    return instance;
  }

  /** Raw JSON of every request received, in order. */
  List<String> requests() {
    return requests;
  }

  /** How many connections were accepted. */
  int acceptedConnections() {
    return accepted.get();
  }

  /** How many connections are open now. */
  int openConnections() {
    return (int) peers.stream().filter(p -> p.channel.isOpen()).count();
  }

  long lastSeq() {
    synchronized (lock) {
      return state.seq;
    }
  }

  /** Keeps only the last {@code limit} events for replay. */
  void logLimit(int limit) {
    synchronized (lock) {
      state.logLimit = limit;
      trimLog();
    }
  }

  /** From now on requests of {@code type} get no answer until {@link #releaseStalled()}. */
  void stall(String type) {
    synchronized (lock) {
      stalledTypes.add(type);
    }
  }

  /** Answers every stalled request and stops stalling. */
  void releaseStalled() {
    List<Runnable> answers;
    synchronized (lock) {
      stalledTypes.clear();
      answers = new ArrayList<>(heldAnswers);
      heldAnswers.clear();
      stallRelease.countDown();
      stallRelease = new CountDownLatch(1);
    }
    answers.forEach(Runnable::run);
  }

  /** Emits a service event: numbered, logged and sent to every client. */
  long emit(Event event) {
    synchronized (lock) {
      Event numbered = event.numbered(++state.seq, System.currentTimeMillis());
      state.log.addLast(numbered);
      trimLog();
      for (Peer peer : peers) {
        peer.sendEvent(numbered);
      }
      return state.seq;
    }
  }

  /** Sends {@code event} exactly as given to every version 2 client, outside the numbering. */
  void sendRawToVersion2(Event event) {
    synchronized (lock) {
      for (Peer peer : peers) {
        if (peer.version2) {
          peer.send(event);
        }
      }
    }
  }

  /** Makes the next start's init fail with {@code message} (an {@code error} event). */
  void failNextInit(String message) {
    synchronized (lock) {
      nextInitFailure = Optional.of(message);
    }
  }

  /** Sets whether the toy service runs, without an event (as if it happened before). */
  void setRunning(boolean running) {
    synchronized (lock) {
      state.running = running;
      state.desiredRunning = running;
      state.intentPersisted = true;
    }
  }

  /** Closes every client connection abruptly; the sidecar goes on listening. */
  void dropConnections() {
    for (Peer peer : peers) {
      peer.close();
    }
  }

  /** Stops abruptly, like a killed process: no goodbye, sockets closed, socket file removed. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    releaseStalled();
    try {
      // Once the acceptor has ended no connection can be added behind dropConnections' back.
      acceptor.join(5000);
      dropConnections();
      for (Peer peer : peers) {
        peer.thread.join(5000);
      }
      Files.deleteIfExists(socketPath);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void trimLog() {
    while (state.log.size() > state.logLimit) {
      state.log.removeFirst();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        return;
      }
      if (closed) {
        // The JDK closes a listening socket only once accept() returns: refuse latecomers.
        try {
          channel.close();
        } catch (IOException e) {
          // closing anyway
        }
        return;
      }
      accepted.incrementAndGet();
      Peer peer = new Peer(channel);
      peers.add(peer);
      peer.thread.start();
    }
  }

  LifecycleStatus status() {
    synchronized (lock) {
      return statusLocked();
    }
  }

  private LifecycleStatus statusLocked() {
    StatusState s =
        state.running
            ? StatusState.RUNNING
            : state.intentPersisted ? StatusState.STOPPED : StatusState.IDLE;
    return new LifecycleStatus(
        s,
        state.desiredRunning,
        true,
        false,
        Optional.empty(),
        state.lastStartConfig,
        Optional.empty(),
        "linux",
        new PlatformCapabilities(
            "linux",
            LifecycleMode.DESKTOP_OS_SERVICE,
            Support.GUARANTEED,
            Support.BEST_EFFORT,
            Support.GUARANTEED,
            Support.GUARANTEED,
            List.of("test sidecar"),
            List.of()),
        List.of());
  }

  /** One client connection, read by its own thread. */
  private final class Peer {
    final SocketChannel channel;
    final FrameWriter writer;
    final Thread thread;
    volatile boolean version2;

    Peer(SocketChannel channel) {
      this.channel = channel;
      this.writer = new FrameWriter(channel);
      this.thread = new Thread(this::readLoop, "test-sidecar-peer");
      thread.setDaemon(true);
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    void send(Message message) {
      try {
        writer.write(message);
      } catch (IOException e) {
        close();
      }
    }

    /** Sends a logged event in the form this connection gets it. Call under the lock. */
    void sendEvent(Event numbered) {
      if (version2) {
        send(numbered);
      } else if (numbered.isBase()) {
        send(numbered.unnumbered());
      }
    }

    private void readLoop() {
      FrameReader reader = new FrameReader(channel);
      try {
        while (true) {
          Optional<byte[]> frame = reader.readFrame();
          if (frame.isEmpty()) {
            break;
          }
          requests.add(new String(frame.get(), StandardCharsets.UTF_8));
          Request request;
          try {
            request = MessageCodec.decodeRequest(frame.get());
          } catch (CodecException e) {
            send(Response.failure(e).withId(e.requestId()));
            continue;
          }
          handle(request);
        }
      } catch (IOException | RuntimeException e) {
        // the connection ends
      } finally {
        close();
        peers.remove(this);
      }
    }

    private void handle(Request request) {
      OptionalLong id = version2 ? request.id() : OptionalLong.empty();
      if (request instanceof Request.Hello hello) {
        hello(hello);
        return;
      }
      boolean stalled;
      CountDownLatch release;
      synchronized (lock) {
        stalled = stalledTypes.contains(request.type());
        release = stallRelease;
      }
      if (stalled && !version2) {
        // Strict order: nothing after this request may be answered before it.
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (closed || !channel.isOpen()) {
          return;
        }
      } else if (stalled) {
        synchronized (lock) {
          heldAnswers.add(() -> answer(request, id));
        }
        return;
      }
      answer(request, id);
    }

    private void hello(Request.Hello hello) {
      synchronized (lock) {
        if (dialect == Dialect.BASE_ERROR) {
          send(
              Response.failure(
                  ErrorCode.INVALID_REQUEST, "Invalid request: type 'hello' is unknown"));
          return;
        }
        if (dialect == Dialect.BASE_VERSION_1 || hello.version() < 2) {
          send(Response.success(HelloData.base(dialect == Dialect.V2 ? 2 : 1).toJson()));
          return;
        }
        LifecycleStatus status = statusLocked();
        send(
            Response.success(HelloData.resumable(2, instance, state.seq, status).toJson())
                .withId(hello.id()));
        version2 = true;
        if (hello.instance().isEmpty()) {
          return;
        }
        long after = hello.resumeAfter().orElse(0);
        boolean canReplay =
            hello.instance().get().equals(instance)
                && (after >= state.seq
                    || (!state.log.isEmpty() && state.log.peekFirst().seq().getAsLong() <= after + 1));
        if (canReplay) {
          for (Event event : state.log) {
            if (event.seq().getAsLong() > after) {
              send(event);
            }
          }
        } else {
          // Outside the numbered stream, with the seq its snapshot includes (docs/protocol.md).
          send(new Event.Resync(status).numbered(state.seq, System.currentTimeMillis()));
        }
      }
    }

    private void answer(Request request, OptionalLong id) {
      Response response;
      List<Event> after = new ArrayList<>();
      List<Event> before = new ArrayList<>();
      synchronized (lock) {
        if (request instanceof Request.Start start) {
          if (state.running) {
            response = Response.failure(ErrorCode.ALREADY_RUNNING, "Service is already running");
          } else if (nextInitFailure.isPresent()) {
            String message = nextInitFailure.get();
            nextInitFailure = Optional.empty();
            response =
                start.waitForInit()
                    ? Response.failure(ErrorCode.INIT_FAILED, message)
                    : Response.success();
            (start.waitForInit() ? before : after).add(new Event.Failed(message));
          } else {
            state.running = true;
            state.desiredRunning = true;
            state.intentPersisted = true;
            state.lastStartConfig = Optional.of(start.config());
            response = Response.success();
            (start.waitForInit() ? before : after).add(new Event.Started());
          }
        } else if (request instanceof Request.Stop stop) {
          if (!state.running) {
            response = Response.failure(ErrorCode.NOT_RUNNING, "Service is not running");
          } else {
            state.running = false;
            state.desiredRunning = false;
            response = Response.success();
            (stop.timeoutMs().isPresent() ? before : after).add(new Event.Stopped("userStop"));
          }
        } else if (request instanceof Request.IsRunning) {
          response = Response.success(JSON.objectNode().put("running", state.running));
        } else if (request instanceof Request.GetState) {
          ObjectNode data = JSON.objectNode();
          data.put("state", state.running ? "running" : "idle");
          data.putNull("lastError");
          response = Response.success(data);
        } else if (request instanceof Request.GetLifecycleStatus) {
          response = Response.success(StatusJson.toJson(statusLocked()));
        } else if (request instanceof Request.EnableAutoRestart enable) {
          state.desiredRunning = true;
          state.intentPersisted = true;
          enable.config().ifPresent(c -> state.lastStartConfig = Optional.of(c));
          response = Response.success();
        } else if (request instanceof Request.DisableAutoRestart) {
          state.desiredRunning = false;
          state.intentPersisted = true;
          response = Response.success();
        } else if (request instanceof Request.GetDesiredState) {
          response =
              state.intentPersisted
                  ? Response.success(
                      StatusJson.toJson(
                          new DesiredState(
                              state.desiredRunning,
                              state.lastStartConfig,
                              OptionalLong.empty(),
                              OptionalLong.empty(),
                              0,
                              false,
                              Optional.empty())))
                  : Response.success();
        } else if (request instanceof Request.ValidateSetup) {
          response = Response.success(StatusJson.toJson(SetupValidationReport.of(List.of())));
        } else {
          response = Response.failure(ErrorCode.UNSUPPORTED, "unsupported " + request.type());
        }
      }
      before.forEach(TestSidecar.this::emit);
      send(response.withId(id));
      after.forEach(TestSidecar.this::emit);
    }
  }
}
