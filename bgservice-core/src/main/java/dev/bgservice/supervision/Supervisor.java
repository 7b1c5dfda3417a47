package dev.bgservice.supervision;

import dev.bgservice.concurrent.Durations;
import dev.bgservice.concurrent.Futures;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.lifecycle.LifecycleEvent;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.lifecycle.LifecycleState;
import dev.bgservice.lifecycle.RunHandle;
import dev.bgservice.lifecycle.StateSnapshot;
import dev.bgservice.lifecycle.StopReason;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.service.StartConfig;
import dev.bgservice.state.DesiredStateStore;
import dev.bgservice.state.Heartbeat;
import dev.bgservice.state.StateStoreException;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.StatusState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service running as its user intends: wraps a {@link LifecycleManager}, records the
 * intent in a {@link DesiredStateStore}, and acts on it.
 *
 * <p><b>Intent.</b> {@link #start} records the intent to run, with the config and the start
 * time. A stop with {@link StopReason#USER_STOP} and a run that completes on its own ({@link
 * StopReason#TASK_COMPLETED}) clear it. {@link StopReason#APP_STOP} (an orderly shutdown of the
 * host: {@link #close()}, SIGTERM, logout, reboot) keeps it and marks a recovery as pending.
 * {@link #enableAutoRestart} and {@link #disableAutoRestart} change only the intent; they never
 * start or stop a run (disabling does cancel a restart that is merely scheduled).
 *
 * <p><b>Acting on intent.</b> With recovery enabled (the default), {@link #recover()}, called
 * when the host starts, starts the service with its last config if it is wanted running
 * ({@code recoveryReason} {@value RecoveryReason#BOOT_RECOVERY}); and when {@code init} or
 * {@code run} fails while the service is wanted running, a restart is scheduled according to
 * the {@link RestartPolicy} ({@code recovering}, with the time of the next attempt) until the
 * policy gives up ({@code error}, with the reason in {@code lastError}). A start or a stop
 * cancels a scheduled restart; a run that stays up for the policy's {@code resetAfter} ends the
 * failure streak. A user stop is never followed by a restart.
 *
 * <p><b>Persistence.</b> The intent is kept in memory and written through to the store; a
 * write that fails is logged and shows up in {@link SupervisorStatus#storeProblems()}, and the
 * supervisor goes on with the intent in memory. While a run is up, a {@link Heartbeat} writes
 * {@code lastHeartbeatEpochMs}.
 *
 * <p><b>Threads.</b> The supervisor owns one daemon thread, on which it handles the manager's
 * events and its timers; {@link #close()} ends it. All methods are thread-safe; none waits for
 * a run while holding the supervisor's lock.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final LifecycleManager manager;
  private final DesiredStateStore store;
  private final RestartPolicy policy;
  private final Clock clock;
  private final boolean recoveryEnabled;
  private final Heartbeat heartbeat;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicReference<Thread> worker = new AtomicReference<>();
  private final Subscription subscription;

  private final Object lock = new Object();
  // Guarded by lock.
  private final RestartSchedule schedule;
  private DesiredState intent;
  private boolean persistedAnything;
  private ScheduledFuture<?> pendingRestart;
  private Instant nextAttemptAt;
  private long restartToken;
  private ScheduledFuture<?> stabilityCheck;
  private boolean gaveUp;
  private boolean failureAcknowledged;
  /** The generation whose failure a stop already acknowledged, even before its event came. */
  private long acknowledgedGeneration;
  private long handledGeneration;
  private long stopRequestedGeneration;
  private String lastError;
  private boolean closed;

  private Supervisor(Builder builder) {
    this.manager = builder.manager;
    this.store = builder.store;
    this.policy = builder.policy;
    this.clock = builder.clock;
    this.recoveryEnabled = builder.recoveryEnabled;
    this.heartbeat = new Heartbeat(store, builder.heartbeatInterval, clock);
    this.schedule = new RestartSchedule(policy, clock, builder.random);
    Optional<DesiredState> persisted;
    try {
      persisted = store.readPersisted();
    } catch (StateStoreException e) {
      log.warn("starting '{}' without its persisted intent: {}", manager.label(), e.getMessage());
      persisted = Optional.empty();
    }
    this.intent = persisted.orElseGet(DesiredState::initial);
    this.persistedAnything = persisted.isPresent();
    // A failure that happened before supervision began is not this supervisor's to restart.
    this.handledGeneration = manager.snapshot().generation();
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "bgservice-supervisor-" + manager.label());
              thread.setDaemon(true);
              worker.set(thread);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // The service's own events never matter here; leaving them out spares this thread a wake-up
    // for each of them.
    this.subscription = manager.subscribeToLifecycle(this::onEvent, executor);
  }

  /**
   * Starts configuring a supervisor of {@code manager} whose intent lives in {@code store}.
   *
   * @throws IllegalArgumentException if the store belongs to another label than the manager
   */
  public static Builder builder(LifecycleManager manager, DesiredStateStore store) {
    return new Builder(manager, store);
  }

  /** The supervised manager. */
  public LifecycleManager manager() {
    return manager;
  }

  /** The store of the intent. */
  public DesiredStateStore store() {
    return store;
  }

  /** The restart policy. */
  public RestartPolicy policy() {
    return policy;
  }

  /** Whether this supervisor acts on the intent: recovers at host start, restarts on failure. */
  public boolean isRecoveryEnabled() {
    return recoveryEnabled;
  }

  /**
   * Starts the service on the user's request and records the intent to run with {@code
   * config}. Cancels a scheduled restart and forgets the failure streak.
   *
   * @throws AlreadyRunningException if a run is active; the intent is unchanged
   * @throws IllegalStateException if the supervisor is closed
   */
  public RunHandle start(StartConfig config) {
    Objects.requireNonNull(config, "config");
    synchronized (lock) {
      requireOpen();
      RunHandle handle = manager.start(config);
      cancelPendingRestart();
      schedule.reset();
      gaveUp = false;
      failureAcknowledged = false;
      lastError = null;
      long now = clock.millis();
      persist(
          s ->
              IntentEditor.edit(s)
                  .desiredRunning(true)
                  .lastStartConfig(config)
                  .lastStartEpochMs(now)
                  .restartAttempt(0)
                  .recoveryPending(false)
                  .recoveryReason(null)
                  .build());
      return handle;
    }
  }

  /**
   * Stops the service on the user's request and clears the intent; waits up to the manager's
   * default stop timeout. See {@link #stopAsync}.
   */
  public Optional<LifecycleEvent.Terminal> stop() {
    return Futures.await(
        stopAsync(StopReason.USER_STOP, manager.defaultStopTimeout()),
        manager.defaultStopTimeout().plusSeconds(60),
        "stop");
  }

  /**
   * Stops the service for {@code reason} and applies the intent at once: {@link
   * StopReason#USER_STOP} clears it, {@link StopReason#APP_STOP} keeps it and marks a recovery
   * as pending, other reasons leave it alone. Any scheduled restart is cancelled.
   *
   * <p>The future completes with the run's terminal event; with empty when no run was active
   * but a scheduled restart was cancelled; and fails with {@link NotRunningException} when
   * there was neither (the intent is applied all the same).
   */
  public CompletableFuture<Optional<LifecycleEvent.Terminal>> stopAsync(
      StopReason reason, Duration timeout) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(timeout, "timeout");
    boolean cancelled;
    synchronized (lock) {
      StateSnapshot snapshot = manager.snapshot();
      // Recovering includes a failure whose restart is about to be scheduled: the applied intent
      // below prevents that restart, so it counts as cancelled too.
      boolean recovering = stateOf(snapshot) == StatusState.RECOVERING;
      cancelled = cancelPendingRestart() || recovering;
      if (snapshot.isRunning()) {
        stopRequestedGeneration = snapshot.generation();
      }
      failureAcknowledged = true;
      acknowledgedGeneration = snapshot.generation();
      if (reason.equals(StopReason.USER_STOP)) {
        schedule.reset();
        gaveUp = false;
        DesiredState intent = desiredState();
        // A refused stop (nothing running, nothing wanted) must change nothing, not even
        // create a state file where none was persisted.
        if (snapshot.isRunning() || cancelled || intent.desiredRunning()
            || intent.recoveryPending()) {
          persist(s -> IntentEditor.edit(s).desiredRunning(false).recoveryPending(false).build());
        }
      } else if (reason.equals(StopReason.APP_STOP)) {
        keepIntentForNextHost(snapshot.isRunning());
      }
    }
    return manager
        .stopAsync(reason, timeout)
        .thenApply(Optional::of)
        .exceptionallyCompose(
            failure ->
                cancelled && Futures.unwrap(failure) instanceof NotRunningException
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.failedFuture(Futures.unwrap(failure)));
  }

  /**
   * Records the intent that the service should run, with {@code config} or else the last
   * config, so that it is recovered after a failure or a restart of its host. Starts nothing.
   *
   * @throws IllegalStateException if the supervisor is closed
   */
  public void enableAutoRestart(Optional<StartConfig> config) {
    Objects.requireNonNull(config, "config");
    synchronized (lock) {
      requireOpen();
      boolean running = manager.isRunning();
      persist(
          s -> {
            IntentEditor edit = IntentEditor.edit(s).desiredRunning(true);
            config.ifPresent(edit::lastStartConfig);
            return edit.recoveryPending(!running || s.recoveryPending()).build();
          });
    }
  }

  /**
   * Records that the service need not run. Stops nothing; a restart that is only scheduled is
   * cancelled, as it would no longer be wanted.
   *
   * @throws IllegalStateException if the supervisor is closed
   */
  public void disableAutoRestart() {
    synchronized (lock) {
      requireOpen();
      cancelPendingRestart();
      persist(s -> IntentEditor.edit(s).desiredRunning(false).recoveryPending(false).build());
    }
  }

  /**
   * Acts on the intent when the host starts: if recovery is enabled, the service is wanted
   * running and nothing runs or is scheduled, starts it with its last config (the defaults if
   * none was recorded) and records {@code recoveryReason} {@value RecoveryReason#BOOT_RECOVERY}.
   *
   * @return the run started, or empty if nothing was to be done
   * @throws IllegalStateException if the supervisor is closed
   */
  public Optional<RunHandle> recover() {
    synchronized (lock) {
      requireOpen();
      if (!recoveryEnabled || !intent.desiredRunning() || pendingRestart != null) {
        return Optional.empty();
      }
      StartConfig config = intent.lastStartConfig().orElseGet(StartConfig::defaults);
      RunHandle handle;
      try {
        handle = manager.start(config);
      } catch (AlreadyRunningException e) {
        return Optional.empty();
      }
      log.info("'{}' is wanted running: starting it ({})", manager.label(), RecoveryReason.BOOT_RECOVERY);
      schedule.reset();
      gaveUp = false;
      failureAcknowledged = false;
      lastError = null;
      long now = clock.millis();
      persist(
          s ->
              IntentEditor.edit(s)
                  .lastStartConfig(config)
                  .lastStartEpochMs(now)
                  .restartAttempt(0)
                  .recoveryPending(true)
                  .recoveryReason(RecoveryReason.BOOT_RECOVERY)
                  .build());
      return Optional.of(handle);
    }
  }

  /** The intent as this supervisor holds it (written through to the store). */
  public DesiredState desiredState() {
    synchronized (lock) {
      return intent;
    }
  }

  /**
   * The persisted intent as the protocol's {@code getDesiredState} reports it: read from the
   * store, empty when nothing is persisted. If the store cannot be read, the intent held in
   * memory, if anything was ever persisted.
   */
  public Optional<DesiredState> persistedState() {
    try {
      return store.readPersisted();
    } catch (StateStoreException e) {
      synchronized (lock) {
        return persistedAnything ? Optional.of(intent) : Optional.empty();
      }
    }
  }

  /** What the supervisor knows now; see {@link SupervisorStatus}. */
  public SupervisorStatus status() {
    synchronized (lock) {
      StateSnapshot snapshot = manager.snapshot();
      StatusState state = stateOf(snapshot);
      boolean desired = intent.desiredRunning();
      boolean recoveryPending =
          desired
              && (state == StatusState.RECOVERING
                  || state == StatusState.RECOVERY_PENDING
                  || (state == StatusState.STARTING && intent.recoveryPending()));
      return new SupervisorStatus(
          state,
          snapshot.state(),
          desired,
          recoveryEnabled && desired,
          recoveryPending,
          intent.recoveryReason(),
          pendingRestart != null
              ? OptionalLong.of(nextAttemptAt.toEpochMilli())
              : OptionalLong.empty(),
          intent.restartAttempt(),
          lastError != null ? Optional.of(lastError) : snapshot.lastError(),
          intent.lastStartConfig(),
          store.problems());
    }
  }

  /**
   * Shuts down in an orderly way: cancels a scheduled restart, closes the manager (an active
   * run stops with {@link StopReason#APP_STOP}, so the intent is kept and a recovery marked
   * pending), stops the heartbeat, and ends the supervisor's thread. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      cancelPendingRestart();
      cancelStabilityCheck();
      StateSnapshot snapshot = manager.snapshot();
      if (snapshot.isRunning()) {
        stopRequestedGeneration = snapshot.generation();
      }
      failureAcknowledged = true;
      acknowledgedGeneration = snapshot.generation();
      keepIntentForNextHost(snapshot.isRunning());
    }
    try {
      manager.close();
    } catch (RuntimeException e) {
      log.warn("closing the lifecycle manager of '{}' failed", manager.label(), e);
    }
    // Handle the events of the last run (nothing restarts: closed is set), then end the thread.
    executor.shutdown();
    boolean interrupted = false;
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("supervisor of '{}' did not finish its work; interrupting it", manager.label());
        executor.shutdownNow();
      }
      Thread thread = worker.get();
      if (thread != null && thread != Thread.currentThread()) {
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      executor.shutdownNow();
    }
    subscription.close();
    heartbeat.stop();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- events, on the supervisor's thread ----

  private void onEvent(LifecycleEvent event) {
    if (event instanceof LifecycleEvent.Started started) {
      onStarted(started.generation());
    } else if (event instanceof LifecycleEvent.Stopped stopped) {
      heartbeat.stop();
      onStopped(stopped.generation(), stopped.reason());
    } else if (event instanceof LifecycleEvent.Failed failed) {
      heartbeat.stop();
      onFailed(failed);
    }
  }

  private void onStarted(long generation) {
    synchronized (lock) {
      if (closed || generation != manager.snapshot().generation()) {
        return;
      }
      schedule.onRunning();
      if (intent.recoveryPending()) {
        persist(s -> IntentEditor.edit(s).recoveryPending(false).build());
      }
      cancelStabilityCheck();
      stabilityCheck =
          executor.schedule(
              () -> checkStable(generation),
              Futures.saturatedNanos(policy.resetAfter()),
              TimeUnit.NANOSECONDS);
    }
    heartbeat.start();
  }

  private void onStopped(long generation, StopReason reason) {
    synchronized (lock) {
      handledGeneration = Math.max(handledGeneration, generation);
      if (generation != manager.snapshot().generation()) {
        return; // a newer run exists; this event is history
      }
      cancelStabilityCheck();
      schedule.onStopped();
      if (generation == stopRequestedGeneration) {
        return; // the stop went through this supervisor, which applied the intent already
      }
      if (reason.equals(StopReason.USER_STOP) || reason.equals(StopReason.TASK_COMPLETED)) {
        log.info("'{}' stopped ({}): it is no longer wanted running", manager.label(), reason);
        schedule.reset();
        gaveUp = false;
        persist(s -> IntentEditor.edit(s).desiredRunning(false).recoveryPending(false).build());
      } else if (reason.equals(StopReason.APP_STOP)) {
        keepIntentForNextHost(true);
      }
    }
  }

  private void onFailed(LifecycleEvent.Failed failed) {
    synchronized (lock) {
      handledGeneration = Math.max(handledGeneration, failed.generation());
      if (failed.generation() != manager.snapshot().generation()) {
        return;
      }
      cancelStabilityCheck();
      lastError = failed.message();
      // A stop may have come between the failure and this event: it still acknowledges it.
      failureAcknowledged = failed.generation() == acknowledgedGeneration;
      if (closed || !recoveryEnabled || !intent.desiredRunning()) {
        schedule.onStopped();
        return;
      }
      RestartDecision decision = schedule.onFailure();
      if (decision instanceof RestartDecision.Restart restart) {
        long token = ++restartToken;
        nextAttemptAt = restart.at();
        pendingRestart =
            executor.schedule(
                () -> restart(token),
                Futures.saturatedNanos(restart.delay()),
                TimeUnit.NANOSECONDS);
        log.warn(
            "'{}' failed ({}); restart attempt {} in {}",
            manager.label(),
            failed.message(),
            restart.attempt(),
            HumanDuration.format(restart.delay()));
        persist(
            s ->
                IntentEditor.edit(s)
                    .restartAttempt(restart.attempt())
                    .recoveryPending(true)
                    .recoveryReason(RecoveryReason.SERVICE_FAILED)
                    .build());
      } else {
        RestartDecision.GiveUp giveUp = (RestartDecision.GiveUp) decision;
        gaveUp = true;
        lastError = failed.message() + "; " + giveUp.reason();
        log.error("'{}' failed and is not restarted: {}", manager.label(), lastError);
        persist(s -> IntentEditor.edit(s).recoveryPending(false).build());
      }
    }
  }

  private void restart(long token) {
    synchronized (lock) {
      if (closed || token != restartToken || pendingRestart == null) {
        return;
      }
      pendingRestart = null;
      nextAttemptAt = null;
      if (!intent.desiredRunning()) {
        return;
      }
      StartConfig config = intent.lastStartConfig().orElseGet(StartConfig::defaults);
      try {
        manager.start(config);
      } catch (AlreadyRunningException | IllegalStateException e) {
        log.info("restart of '{}' skipped: {}", manager.label(), e.getMessage());
        return;
      }
      failureAcknowledged = false;
      long now = clock.millis();
      persist(s -> IntentEditor.edit(s).lastStartEpochMs(now).build());
    }
  }

  private void checkStable(long generation) {
    synchronized (lock) {
      if (closed || generation != manager.snapshot().generation() || !schedule.isStable()) {
        return;
      }
      lastError = null;
      if (schedule.resetIfStable() || intent.restartAttempt() != 0) {
        log.info("'{}' has been up for {}: failure count reset", manager.label(),
            HumanDuration.format(policy.resetAfter()));
        persist(s -> IntentEditor.edit(s).restartAttempt(0).build());
      }
    }
  }

  // ---- internals; all require the lock ----

  private StatusState stateOf(StateSnapshot snapshot) {
    switch (snapshot.state()) {
      case STARTING:
        return StatusState.STARTING;
      case RUNNING:
        return StatusState.RUNNING;
      case STOPPING:
        return StatusState.STOPPING;
      default:
        break;
    }
    if (pendingRestart != null) {
      return StatusState.RECOVERING;
    }
    if (gaveUp) {
      return StatusState.ERROR;
    }
    if (snapshot.state() == LifecycleState.FAILED && !failureAcknowledged) {
      boolean decisionDue =
          snapshot.generation() > handledGeneration
              && recoveryEnabled
              && intent.desiredRunning()
              && !closed;
      return decisionDue ? StatusState.RECOVERING : StatusState.ERROR;
    }
    if (intent.desiredRunning()) {
      return StatusState.RECOVERY_PENDING;
    }
    return snapshot.state() == LifecycleState.IDLE ? StatusState.IDLE : StatusState.STOPPED;
  }

  /** The host is going away in order: a wanted service must come back with the next host. */
  private void keepIntentForNextHost(boolean wasRunning) {
    if (!intent.desiredRunning()) {
      return;
    }
    persist(
        s -> {
          IntentEditor edit = IntentEditor.edit(s).recoveryPending(true);
          if (wasRunning) {
            edit.recoveryReason(RecoveryReason.APP_STOP);
          }
          return edit.build();
        });
  }

  private boolean cancelPendingRestart() {
    if (pendingRestart == null) {
      return false;
    }
    pendingRestart.cancel(false);
    pendingRestart = null;
    nextAttemptAt = null;
    restartToken++;
    return true;
  }

  private void cancelStabilityCheck() {
    if (stabilityCheck != null) {
      stabilityCheck.cancel(false);
      stabilityCheck = null;
    }
  }

  private void persist(UnaryOperator<DesiredState> change) {
    try {
      intent = store.update(change);
      persistedAnything = true;
    } catch (StateStoreException e) {
      intent = change.apply(intent);
      log.warn("the intent of '{}' is kept in memory only: {}", manager.label(), e.getMessage());
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("supervisor of '" + manager.label() + "' is closed");
    }
  }

  /** Configures a {@link Supervisor}. */
  public static final class Builder {
    private final LifecycleManager manager;
    private final DesiredStateStore store;
    private RestartPolicy policy = RestartPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SplittableRandom();
    private boolean recoveryEnabled = true;
    private Duration heartbeatInterval = Heartbeat.DEFAULT_INTERVAL;

    private Builder(LifecycleManager manager, DesiredStateStore store) {
      this.manager = Objects.requireNonNull(manager, "manager");
      this.store = Objects.requireNonNull(store, "store");
      if (!store.label().equals(manager.label())) {
        throw new IllegalArgumentException(
            "the state store of '"
                + store.label()
                + "' cannot hold the intent of service '"
                + manager.label()
                + "'");
      }
    }

    /** The restart policy; default {@link RestartPolicy#defaults()}. */
    public Builder policy(RestartPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The clock for recorded times, the restart schedule and the heartbeat; default the system
     * UTC clock. Delays are still waited in real time.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of the restart jitter; default an unseeded generator. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Whether to act on the intent: {@link #recover()} at host start and restarts after a
     * failure. Default true. Without it the intent is still recorded and reported.
     */
    public Builder recoveryEnabled(boolean enabled) {
      this.recoveryEnabled = enabled;
      return this;
    }

    /** The interval of the heartbeat while a run is up; positive, default 10 s. */
    public Builder heartbeatInterval(Duration interval) {
      Durations.requirePositive(interval, "heartbeatInterval");
      this.heartbeatInterval = interval;
      return this;
    }

    /** Builds the supervisor and subscribes it to the manager. Starts nothing. */
    public Supervisor build() {
      return new Supervisor(this);
    }
  }
}
