package dev.bgservice.client;

import dev.bgservice.concurrent.Durations;
import dev.bgservice.concurrent.SerialQueue;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ServiceTimeoutException;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.lifecycle.LifecycleEvent;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.lifecycle.LifecycleState;
import dev.bgservice.lifecycle.RunHandle;
import dev.bgservice.lifecycle.StateSnapshot;
import dev.bgservice.lifecycle.StopReason;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.service.StartConfig;
import dev.bgservice.state.DesiredStateStore;
import dev.bgservice.state.Heartbeat;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.CapabilitiesProbe;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.SetupCheck;
import dev.bgservice.status.SetupValidator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.bgservice.status.ServiceStatus;
import dev.bgservice.status.SetupValidationReport;
import dev.bgservice.status.StatusState;
import dev.bgservice.status.Support;
import dev.bgservice.supervision.RestartPolicy;
import dev.bgservice.supervision.Supervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The {@link ServiceClient} of a service running in this JVM: a thin layer over a {@link
 * LifecycleManager} and its {@link Supervisor}, which persists the intent in a {@link
 * DesiredStateStore}, restarts the service after failures according to the {@link
 * RestartPolicy}, and, with {@link Builder#recovery(boolean) recovery} enabled, starts it when
 * the client is built if it is wanted running. The client adds the lifecycle status and
 * sequence-numbered events. It is also the engine the sidecar's IPC server drives, so a request
 * behaves the same in-process and over a socket.
 *
 * <p>Events get consecutive sequence numbers starting at 1, in the order the manager produced
 * them; every listener sees them in that order.
 */
public final class InProcessServiceClient implements ServiceClient {

  private final LifecycleManager manager;
  private final Supervisor supervisor;
  private final Duration callTimeout;
  private final Clock clock;
  private final Subscription managerSubscription;
  private final List<SerialQueue<ServiceEvent>> listeners = new CopyOnWriteArrayList<>();

  private static final int CAPABILITIES_TTL_SECONDS = 30;

  /** How long probed platform capabilities are reused. */
  static final Duration CAPABILITIES_TTL = Duration.ofSeconds(CAPABILITIES_TTL_SECONDS);

  private final LifecycleMode lifecycleMode;
  private final Supplier<PlatformCapabilities> capabilitiesProbe;
  private final Consumer<SetupValidator.Builder> validationSetup;
  private final Object capabilitiesLock = new Object();
  private PlatformCapabilities cachedCapabilities; // guarded by capabilitiesLock
  private long capabilitiesProbedAt; // guarded by capabilitiesLock

  // Written only by the manager's (serial) delivery; read by anyone.
  private volatile long lastSeq;
  private volatile boolean closed;

  private InProcessServiceClient(Builder builder) {
    this.manager = builder.manager;
    this.callTimeout = builder.callTimeout;
    this.clock = builder.clock;
    this.lifecycleMode = builder.lifecycleMode;
    this.capabilitiesProbe =
        builder.capabilities != null
            ? builder.capabilities
            : CapabilitiesProbe.builder(builder.lifecycleMode).build()::probe;
    this.validationSetup = builder.validationSetup;
    DesiredStateStore store =
        DesiredStateStore.builder(builder.stateDirectory, manager.label()).clock(clock).open();
    this.supervisor =
        Supervisor.builder(manager, store)
            .policy(builder.restartPolicy)
            .clock(clock)
            .heartbeatInterval(builder.heartbeatInterval)
            .build();
    // The manager delivers serially to one listener, so numbering here preserves its order.
    this.managerSubscription = manager.subscribe(this::onLifecycleEvent);
    if (builder.recovery) {
      supervisor.recover();
    }
  }

  /** Starts building a client that owns {@code manager} and closes it on {@link #close()}. */
  public static Builder builder(LifecycleManager manager) {
    return new Builder(manager);
  }

  /** The manager this client drives. */
  public LifecycleManager manager() {
    return manager;
  }

  /** The supervisor that keeps the intent and restarts the service; closed with this client. */
  public Supervisor supervisor() {
    return supervisor;
  }

  /** The sequence number of the last event delivered; 0 before the first. */
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public CompletableFuture<Void> startAsync(StartConfig config, StartOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    RunHandle handle;
    try {
      ensureOpen();
      handle = supervisor.start(config);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!options.waitForInit()) {
      return CompletableFuture.completedFuture(null);
    }
    Duration timeout = options.timeout().orElse(callTimeout);
    return handle
        .initialized()
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(translateTimeout(failure, "start", timeout)));
  }

  @Override
  public CompletableFuture<Void> stopAsync(Optional<Duration> timeout) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    Objects.requireNonNull(timeout, "timeout");
    // Clears the intent and cancels a scheduled restart; empty when only a restart was pending.
    CompletableFuture<Optional<LifecycleEvent.Terminal>> outcome =
        supervisor.stopAsync(StopReason.USER_STOP, timeout.orElse(manager.defaultStopTimeout()));
    if (outcome.isCompletedExceptionally()) {
      return outcome.thenApply(ignored -> null);
    }
    if (timeout.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return outcome.thenCompose(
        terminal ->
            terminal.orElse(null) instanceof LifecycleEvent.Stopped s
                    && s.reason().equals(StopReason.STOP_TIMEOUT)
                ? CompletableFuture.failedFuture(
                    new ServiceTimeoutException(
                        "Service did not stop within "
                            + timeout.get().toMillis()
                            + " ms; its run was abandoned"))
                : CompletableFuture.completedFuture(null));
  }

  @Override
  public CompletableFuture<Boolean> isRunningAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return CompletableFuture.completedFuture(manager.isRunning());
  }

  @Override
  public CompletableFuture<ServiceStatus> getStateAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    StateSnapshot snapshot = manager.snapshot();
    return CompletableFuture.completedFuture(
        new ServiceStatus(snapshot.state().baseProtocolName(), snapshot.lastError()));
  }

  @Override
  public CompletableFuture<LifecycleStatus> getLifecycleStatusAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    PlatformCapabilities capabilities = capabilities();
    return CompletableFuture.completedFuture(
        supervisor.status().toLifecycleStatus(capabilities.platform(), capabilities, List.of()));
  }

  /**
   * The platform capabilities, probed at most every {@link #CAPABILITIES_TTL}: probing runs
   * system commands, too slow for every status query.
   */
  private PlatformCapabilities capabilities() {
    synchronized (capabilitiesLock) {
      long now = System.nanoTime();
      if (cachedCapabilities == null || now - capabilitiesProbedAt > CAPABILITIES_TTL.toNanos()) {
        cachedCapabilities = capabilitiesProbe.get();
        capabilitiesProbedAt = now;
      }
      return cachedCapabilities;
    }
  }

  @Override
  public CompletableFuture<Void> enableAutoRestartAsync(Optional<StartConfig> config) {
    Objects.requireNonNull(config, "config");
    try {
      ensureOpen();
      supervisor.enableAutoRestart(config);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> disableAutoRestartAsync() {
    try {
      ensureOpen();
      supervisor.disableAutoRestart();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Optional<DesiredState>> getDesiredStateAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return CompletableFuture.completedFuture(supervisor.persistedState());
  }

  @Override
  public CompletableFuture<SetupValidationReport> validateSetupAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return CompletableFuture.supplyAsync(this::validateSetupNow);
  }

  private SetupValidationReport validateSetupNow() {
    SetupValidator.Builder validator =
        SetupValidator.builder(lifecycleMode)
            .label(manager.label())
            .stateDirectory(supervisor.store().directory())
            .additionalCheck("state_file", this::stateFileCheck);
    validationSetup.accept(validator);
    return validator.build().validate();
  }

  private SetupCheck stateFileCheck() {
    return supervisor.store().problem()
        .map(p -> SetupCheck.fail("state_file", p.kind().severity(), p.message(),
            p.kind().fix()))
        .orElseGet(() -> SetupCheck.pass("state_file",
            "the desired state file " + supervisor.store().file() + " is readable"));
  }

  @Override
  public Subscription subscribe(ServiceListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    SerialQueue<ServiceEvent> queue = new SerialQueue<>(listener::onEvent, executor);
    listeners.add(queue);
    return () -> {
      listeners.remove(queue);
      queue.close();
    };
  }

  @Override
  public boolean isConnected() {
    return !closed;
  }

  @Override
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Stops an active run as an orderly app stop (the intent is kept, so a client built with
   * recovery starts it again), closes the supervisor and the manager.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    supervisor.close();
    managerSubscription.close();
    listeners.forEach(SerialQueue::close);
    listeners.clear();
  }

  // ---- internals ----

  private static ServiceUnavailableException closedError() {
    return new ServiceUnavailableException("The service client is closed.", null);
  }

  private void ensureOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private static Throwable translateTimeout(Throwable failure, String what, Duration timeout) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return new ServiceTimeoutException(
          what + " did not complete within " + timeout.toMillis() + " ms");
    }
    return cause;
  }

  /** The status vocabulary's name for a manager state. */
  static StatusState statusState(LifecycleState state) {
    return switch (state) {
      case IDLE -> StatusState.IDLE;
      case STARTING -> StatusState.STARTING;
      case RUNNING -> StatusState.RUNNING;
      case STOPPING -> StatusState.STOPPING;
      case STOPPED -> StatusState.STOPPED;
      case FAILED -> StatusState.ERROR;
    };
  }

  private void onLifecycleEvent(LifecycleEvent event) {
    long ts = clock.millis();
    long seq = lastSeq + 1;
    ServiceEvent out;
    if (event instanceof LifecycleEvent.StateChanged c) {
      out =
          new ServiceEvent.StateChanged(
              seq, ts, statusState(c.from()).wireName(), statusState(c.to()).wireName());
    } else if (event instanceof LifecycleEvent.Started) {
      out = new ServiceEvent.Started(seq, ts);
    } else if (event instanceof LifecycleEvent.Stopped s) {
      out = new ServiceEvent.Stopped(seq, ts, s.reason().value());
    } else if (event instanceof LifecycleEvent.Failed f) {
      out = new ServiceEvent.Failed(seq, ts, f.message());
    } else if (event instanceof LifecycleEvent.Custom c) {
      out = new ServiceEvent.Custom(seq, ts, c.name(), c.payload());
    } else {
      out = null; // the subscription snapshot: not an event of the stream
    }
    if (out == null) {
      return;
    }
    lastSeq = out.seq();
    for (SerialQueue<ServiceEvent> queue : listeners) {
      queue.enqueue(out);
    }
    for (SerialQueue<ServiceEvent> queue : listeners) {
      queue.dispatch();
    }
  }

  /** Configures an {@link InProcessServiceClient}. */
  public static final class Builder {
    private final LifecycleManager manager;
    private Duration callTimeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private Path stateDirectory;
    private RestartPolicy restartPolicy = RestartPolicy.defaults();
    private Duration heartbeatInterval = Heartbeat.DEFAULT_INTERVAL;
    private boolean recovery;
    private LifecycleMode lifecycleMode = LifecycleMode.DESKTOP_IN_PROCESS;
    private Supplier<PlatformCapabilities> capabilities;
    private Consumer<SetupValidator.Builder> validationSetup = validator -> {};

    private Builder(LifecycleManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** The default deadline of blocking calls; default 10 s. */
    public Builder callTimeout(Duration callTimeout) {
      Durations.requirePositive(callTimeout, "callTimeout");
      this.callTimeout = callTimeout;
      return this;
    }

    /**
     * The clock for event timestamps, intent times, the heartbeat and the restart schedule;
     * default the system clock. Restart delays are still waited in real time.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The directory of the desired state file {@code <label>.state.json}; default {@link
     * DesiredStateStore#defaultDirectory()}, the user's state directory shared with the sidecar.
     */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
      return this;
    }

    /**
     * How the service is restarted after {@code init} or {@code run} failed while it is wanted
     * running; default {@link RestartPolicy#defaults()}, {@link RestartPolicy#never()} to not
     * restart.
     */
    public Builder restartPolicy(RestartPolicy restartPolicy) {
      this.restartPolicy = Objects.requireNonNull(restartPolicy, "restartPolicy");
      return this;
    }

    /** The interval of the heartbeat written while the service runs; default 10 s. */
    public Builder heartbeatInterval(Duration interval) {
      Durations.requirePositive(interval, "heartbeatInterval");
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Whether {@link #build()} acts on the persisted intent: if the service is wanted running
     * (it was running when the app last exited, or auto-restart was enabled), it is started
     * with its last config and {@code recoveryReason} {@code bootRecovery}. Default false, as
     * it runs the service without an explicit start.
     */
    public Builder recovery(boolean enabled) {
      this.recovery = enabled;
      return this;
    }

    /**
     * Where the service runs, for the capabilities and the setup checks; default {@link
     * LifecycleMode#DESKTOP_IN_PROCESS}. The sidecar sets {@link
     * LifecycleMode#DESKTOP_OS_SERVICE}.
     */
    public Builder lifecycleMode(LifecycleMode mode) {
      this.lifecycleMode = Objects.requireNonNull(mode, "lifecycleMode");
      return this;
    }

    /**
     * How to probe the platform capabilities; default a {@link CapabilitiesProbe} for the
     * lifecycle mode. Results are reused for {@value #CAPABILITIES_TTL_SECONDS} seconds.
     */
    public Builder capabilities(Supplier<PlatformCapabilities> probe) {
      this.capabilities = Objects.requireNonNull(probe, "capabilities");
      return this;
    }

    /**
     * Adds inputs to the setup validation (socket path, runtime directory, installation and
     * sidecar probes); the label, the lifecycle mode and the state directory are set already.
     */
    public Builder validation(Consumer<SetupValidator.Builder> setup) {
      this.validationSetup = Objects.requireNonNull(setup, "validation");
      return this;
    }

    /**
     * Builds the client: opens the desired state store, subscribes to the manager and, with
     * {@link #recovery(boolean) recovery}, starts the service if it is wanted running.
     *
     * @throws dev.bgservice.state.StateStoreException if the state directory cannot be created
     *     or the state file cannot be read
     */
    public InProcessServiceClient build() {
      if (stateDirectory == null) {
        stateDirectory = DesiredStateStore.defaultDirectory();
      }
      return new InProcessServiceClient(this);
    }
  }
}
