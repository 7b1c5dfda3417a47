package dev.bgservice.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.concurrent.SerialQueue;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.InitFailedException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.platform.Directories;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.EventEmitter;
import dev.bgservice.service.Notifier;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.ServiceLabel;
import dev.bgservice.service.ShutdownToken;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lifecycle of one {@link BackgroundService}: starts runs, stops them, and tells
 * listeners what happened.
 *
 * <p><b>Concurrency model: a monitor.</b> Every transition happens while holding one lock, so
 * transitions are totally ordered; events are queued under that lock and delivered after it is
 * released (see {@link LifecycleListener}). Each run executes {@code init} then {@code run} on
 * its own daemon thread. Every start increments a generation, and each run carries its own
 * generation: when a run ends, emits an event or is abandoned, the manager first checks that the
 * run is still the current, unfinished one, so an old run can never touch a newer one.
 *
 * <p><b>Stopping.</b> {@link #stop(StopReason, Duration)} cancels the run's {@link
 * ShutdownToken}, waits up to the timeout for {@code run} to return, then interrupts the run's
 * thread, waits the grace period, and finally abandons the run: the state becomes {@link
 * LifecycleState#FAILED} with reason {@link StopReason#STOP_TIMEOUT} and a new start is possible.
 * Nothing waits longer than timeout plus grace.
 */
public final class LifecycleManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LifecycleManager.class);

  private final String label;
  private final Supplier<? extends BackgroundService> factory;
  private final Notifier notifier;
  private final Path dataDirectory;
  private final Duration defaultStopTimeout;
  private final Duration stopGrace;
  private final Clock clock;

  private final Object lock = new Object();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  // Guarded by lock.
  private LifecycleState state = LifecycleState.IDLE;
  private long generation;
  private String lastError;
  private Instant changedAt;
  private StartConfig lastConfig;
  private Run current;
  private boolean closed;

  private LifecycleManager(Builder builder) {
    this.label = builder.label;
    this.factory = builder.factory;
    this.notifier = builder.notifier;
    this.dataDirectory =
        builder.dataDirectory != null
            ? builder.dataDirectory
            : Directories.current().dataRoot().resolve(builder.label);
    this.defaultStopTimeout = builder.defaultStopTimeout;
    this.stopGrace = builder.stopGrace;
    this.clock = builder.clock;
    this.changedAt = clock.instant();
  }

  /**
   * Starts building a manager for the service with the given label, creating a fresh service
   * instance from {@code factory} for every start.
   *
   * @throws IllegalArgumentException if the label is not valid ({@link ServiceLabel})
   */
  public static Builder builder(String label, Supplier<? extends BackgroundService> factory) {
    return new Builder(label, factory);
  }

  /** The service label this manager runs. */
  public String label() {
    return label;
  }

  /**
   * Starts a run and returns once it is scheduled; {@code init} runs on the run's own thread.
   * Use {@link RunHandle#initialized()} to wait for the outcome of {@code init}.
   *
   * @throws AlreadyRunningException if a run is active; nothing changes
   * @throws IllegalStateException if the manager is closed
   */
  public RunHandle start(StartConfig config) {
    Objects.requireNonNull(config, "config");
    Run run;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("lifecycle manager of '" + label + "' is closed");
      }
      if (state.isActive()) {
        throw new AlreadyRunningException();
      }
      run = new Run(++generation, config);
      current = run;
      lastConfig = config;
      lastError = null;
      setState(LifecycleState.STARTING, run.generation);
      Thread thread = new Thread(run::execute, "bgservice-" + label + "-run-" + run.generation);
      thread.setDaemon(true);
      run.thread = thread;
      thread.start();
    }
    dispatch();
    return new RunHandle(run.generation, run.initialized, run.terminated);
  }

  /**
   * Starts a run and waits for the outcome of {@code init}, at most {@code timeout}.
   *
   * @throws AlreadyRunningException if a run is active
   * @throws InitFailedException if {@code init} failed or the run was stopped before it finished
   * @throws dev.bgservice.error.ServiceTimeoutException if {@code init} did not finish in time;
   *     the run goes on
   */
  public RunHandle startAndWait(StartConfig config, Duration timeout) {
    RunHandle handle = start(config);
    Futures.await(handle.initialized(), timeout, "service init");
    return handle;
  }

  /** Stops the active run as a user stop, waiting up to the default stop timeout. */
  public LifecycleEvent.Terminal stop() {
    return stop(StopReason.USER_STOP, defaultStopTimeout);
  }

  /**
   * Stops the active run and waits for it to end, at most {@code timeout} plus the stop grace.
   *
   * @return the run's terminal event; {@link StopReason#STOP_TIMEOUT} if it was abandoned
   * @throws NotRunningException if no run is active
   */
  public LifecycleEvent.Terminal stop(StopReason reason, Duration timeout) {
    try {
      return stopAsync(reason, timeout).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw Futures.unwrap(e);
    }
  }

  /**
   * Requests a stop and returns at once. The future completes with the run's terminal event,
   * at the latest {@code timeout} plus the stop grace from now; a second stop of the same run
   * joins the first (its reason is ignored). Fails with {@link NotRunningException} if no run is
   * active.
   */
  public CompletableFuture<LifecycleEvent.Terminal> stopAsync(StopReason reason, Duration timeout) {
    Objects.requireNonNull(reason, "reason");
    requireNonNegative(timeout, "timeout");
    Run run;
    boolean first;
    synchronized (lock) {
      if (!state.isActive()) {
        return CompletableFuture.failedFuture(new NotRunningException());
      }
      run = current;
      first = run.stopReason == null;
      if (first) {
        run.stopReason = reason;
        setState(LifecycleState.STOPPING, run.generation);
      }
      run.scheduleEscalation(timeout);
    }
    dispatch();
    if (first) {
      log.info("stopping '{}' (generation {}, reason {})", label, run.generation, reason);
      run.token.cancel();
    }
    return run.terminated.copy();
  }

  /** The default timeout of {@link #stop()} and {@link #close()}. */
  public Duration defaultStopTimeout() {
    return defaultStopTimeout;
  }

  /** Whether a run is active (starting, running or stopping). */
  public boolean isRunning() {
    synchronized (lock) {
      return state.isActive();
    }
  }

  /** The current state. */
  public StateSnapshot snapshot() {
    synchronized (lock) {
      return snapshotLocked();
    }
  }

  /**
   * Subscribes a listener whose events are delivered on {@code executor}, one at a time and in
   * order. The first event is a {@link LifecycleEvent.Snapshot} of the current state.
   */
  public Subscription subscribe(LifecycleListener listener, Executor executor) {
    return subscribe(listener, executor, true);
  }

  /**
   * Like {@link #subscribe(LifecycleListener, Executor)}, but without the events the service emits
   * itself ({@link LifecycleEvent.Custom}): for listeners that follow only the lifecycle, so that a
   * service emitting thousands of events a second costs them no delivery at all.
   */
  public Subscription subscribeToLifecycle(LifecycleListener listener, Executor executor) {
    return subscribe(listener, executor, false);
  }

  private Subscription subscribe(
      LifecycleListener listener, Executor executor, boolean serviceEvents) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    Listener subscribed =
        new Listener(new SerialQueue<>(listener::onEvent, executor), serviceEvents);
    synchronized (lock) {
      subscribed.queue().enqueue(new LifecycleEvent.Snapshot(snapshotLocked()));
      listeners.add(subscribed);
    }
    subscribed.queue().dispatch();
    return () -> {
      listeners.remove(subscribed);
      subscribed.queue().close();
    };
  }

  /**
   * Subscribes a listener that runs on whichever thread caused the event, after the manager's
   * lock is released. It must be quick and must not block on this manager (for example by
   * calling {@link #stop()}), or it delays the run that caused the event.
   */
  public Subscription subscribe(LifecycleListener listener) {
    return subscribe(listener, Runnable::run);
  }

  /**
   * Stops an active run with reason {@link StopReason#APP_STOP} and refuses further starts.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stopAsync(StopReason.APP_STOP, defaultStopTimeout)
        .exceptionally(notRunning -> null)
        .join();
  }

  // ---- internals; all *Locked methods and setState require the lock ----

  private StateSnapshot snapshotLocked() {
    return new StateSnapshot(
        state,
        generation,
        Optional.ofNullable(lastError),
        changedAt,
        Optional.ofNullable(lastConfig));
  }

  private void setState(LifecycleState to, long runGeneration) {
    LifecycleState from = state;
    state = to;
    changedAt = clock.instant();
    publish(new LifecycleEvent.StateChanged(runGeneration, from, snapshotLocked()));
  }

  private void publish(LifecycleEvent event) {
    boolean serviceEvent = event instanceof LifecycleEvent.Custom;
    for (Listener listener : listeners) {
      if (listener.serviceEvents() || !serviceEvent) {
        listener.queue().enqueue(event);
      }
    }
  }

  private void dispatch() {
    for (Listener listener : listeners) {
      listener.queue().dispatch();
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  private static void requireNonNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + duration);
    }
  }

  /** A subscribed listener's queue, and whether it wants the service's own events. */
  private record Listener(SerialQueue<LifecycleEvent> queue, boolean serviceEvents) {}

  /** One run: its thread, token, context and outcome. */
  private final class Run implements ServiceContext {
    final long generation;
    final StartConfig config;
    final CancellationToken token = new CancellationToken();
    final CompletableFuture<Void> initialized = new CompletableFuture<>();
    final CompletableFuture<LifecycleEvent.Terminal> terminated = new CompletableFuture<>();
    final EventEmitter emitter = this::emit;
    Thread thread;

    // Guarded by lock.
    StopReason stopReason;
    LifecycleEvent.Terminal terminal;
    ScheduledFuture<?> escalation;
    Instant escalationDue;

    Run(long generation, StartConfig config) {
      this.generation = generation;
      this.config = config;
    }

    void execute() {
      BackgroundService service;
      try {
        service = Objects.requireNonNull(factory.get(), "service factory returned null");
        service.init(this);
      } catch (Throwable t) {
        finish(t, true);
        return;
      }
      boolean proceed;
      synchronized (lock) {
        proceed = terminal == null && stopReason == null;
        if (proceed) {
          setState(LifecycleState.RUNNING, generation);
          publish(new LifecycleEvent.Started(generation));
        }
      }
      dispatch();
      if (!proceed) {
        finish(null, true);
        return;
      }
      initialized.complete(null);
      try {
        service.run(this);
        finish(null, false);
      } catch (Throwable t) {
        finish(t, false);
      }
    }

    /** Records how the run ended, unless it was abandoned already. */
    private void finish(Throwable failure, boolean inInit) {
      LifecycleEvent.Terminal outcome;
      synchronized (lock) {
        if (terminal != null) {
          log.info(
              "abandoned run {} of '{}' has returned{}",
              generation,
              label,
              failure == null ? "" : " with " + failure);
          return;
        }
        if (stopReason != null) {
          if (failure != null && !(failure instanceof InterruptedException)) {
            log.warn("run {} of '{}' threw while stopping", generation, label, failure);
          }
          outcome = new LifecycleEvent.Stopped(generation, stopReason);
          end(outcome, LifecycleState.STOPPED, null);
        } else if (failure == null) {
          outcome = new LifecycleEvent.Stopped(generation, StopReason.TASK_COMPLETED);
          end(outcome, LifecycleState.STOPPED, null);
        } else {
          String message =
              (inInit ? "Initialisation failed: " : "Service failed: ") + describe(failure);
          log.warn("run {} of '{}' failed: {}", generation, label, message, failure);
          outcome = new LifecycleEvent.Failed(generation, message, inInit);
          end(outcome, LifecycleState.FAILED, message);
        }
      }
      dispatch();
      complete(outcome, failure);
    }

    /** Gives up on a run that ignored both the token and the interrupt. */
    private void abandon(Duration waited) {
      LifecycleEvent.Terminal outcome;
      synchronized (lock) {
        if (terminal != null) {
          return;
        }
        String message =
            "Service did not stop within "
                + waited.toMillis()
                + " ms of the stop request, nor within "
                + stopGrace.toMillis()
                + " ms of an interrupt; the run was abandoned";
        log.warn("run {} of '{}': {}", generation, label, message);
        outcome = new LifecycleEvent.Stopped(generation, StopReason.STOP_TIMEOUT);
        end(outcome, LifecycleState.FAILED, message);
      }
      dispatch();
      complete(outcome, null);
    }

    private void end(LifecycleEvent.Terminal outcome, LifecycleState to, String error) {
      terminal = outcome;
      if (escalation != null) {
        escalation.cancel(false);
      }
      // The current run is always this one: no new run can start while this one is active.
      lastError = error;
      setState(to, generation);
      publish(outcome);
    }

    private void complete(LifecycleEvent.Terminal outcome, Throwable failure) {
      if (!initialized.isDone()) {
        String message =
            outcome instanceof LifecycleEvent.Failed f
                ? f.message()
                : "Service was stopped (" + stopReasonOf(outcome) + ") before init completed";
        initialized.completeExceptionally(new InitFailedException(message, failure));
      }
      terminated.complete(outcome);
    }

    private String stopReasonOf(LifecycleEvent.Terminal outcome) {
      return outcome instanceof LifecycleEvent.Stopped s ? s.reason().value() : "failed";
    }

    /** Arranges interrupt then abandonment; keeps the earliest deadline of concurrent stops. */
    void scheduleEscalation(Duration timeout) {
      Instant due = clock.instant().plus(timeout);
      if (terminal != null || (escalationDue != null && !due.isBefore(escalationDue))) {
        return;
      }
      if (escalation != null) {
        escalation.cancel(false);
      }
      escalationDue = due;
      escalation = Timer.schedule(timeout, () -> escalate(timeout));
    }

    private void escalate(Duration waited) {
      synchronized (lock) {
        if (terminal != null) {
          return;
        }
        log.warn(
            "run {} of '{}' did not stop within {} ms; interrupting it",
            generation,
            label,
            waited.toMillis());
        thread.interrupt();
        escalation = Timer.schedule(stopGrace, () -> abandon(waited));
      }
    }

    private void emit(String name, Object payload) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("event name must not be blank");
      }
      JsonNode node;
      try {
        node = EventPayloads.toJson(payload);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "event '" + name + "' payload cannot be converted to JSON: " + e.getMessage(), e);
      }
      synchronized (lock) {
        if (terminal != null || current != this) {
          return; // this run is over: its late events must not reach anyone
        }
        publish(new LifecycleEvent.Custom(generation, name, node));
      }
      dispatch();
    }

    @Override
    public ShutdownToken shutdown() {
      return token;
    }

    @Override
    public EventEmitter events() {
      return emitter;
    }

    @Override
    public Notifier notifier() {
      return notifier;
    }

    @Override
    public StartConfig config() {
      return config;
    }

    @Override
    public String label() {
      return label;
    }

    @Override
    public Path dataDirectory() {
      try {
        return Files.createDirectories(dataDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the data directory " + dataDirectory + ": " + e.getMessage(), e);
      }
    }

    @Override
    public long generation() {
      return generation;
    }
  }

  /** Configures a {@link LifecycleManager}. */
  public static final class Builder {
    private final String label;
    private final Supplier<? extends BackgroundService> factory;
    private Notifier notifier = new LoggingNotifier();
    private Path dataDirectory;
    private Duration defaultStopTimeout = Duration.ofSeconds(10);
    private Duration stopGrace = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();

    private Builder(String label, Supplier<? extends BackgroundService> factory) {
      this.label = ServiceLabel.validate(label);
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Where notifications go; default: the log. */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /**
     * The service's own data directory ({@link ServiceContext#dataDirectory()}); default: the
     * label under {@link Directories#dataRoot()}.
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** How long {@link #stop()} and {@link #close()} wait for a run to return; default 10 s. */
    public Builder defaultStopTimeout(Duration timeout) {
      requireNonNegative(timeout, "defaultStopTimeout");
      this.defaultStopTimeout = timeout;
      return this;
    }

    /** How long to wait after interrupting a run before abandoning it; default 2 s. */
    public Builder stopGrace(Duration grace) {
      requireNonNegative(grace, "stopGrace");
      this.stopGrace = grace;
      return this;
    }

    /** The clock for transition times; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the manager, in state {@link LifecycleState#IDLE}. */
    public LifecycleManager build() {
      return new LifecycleManager(this);
    }
  }

  /** The default notifier: a headless process has no screen, so notifications are logged. */
  private static final class LoggingNotifier implements Notifier {
    @Override
    public void show(String title, String body) {
      log.info("notification: {}: {}", title, body);
    }
  }
}
