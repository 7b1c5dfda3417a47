package dev.bgservice.client;

import dev.bgservice.concurrent.Futures;
import dev.bgservice.lifecycle.Subscription;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.ServiceStatus;
import dev.bgservice.status.SetupValidationReport;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The app's handle on its background service, wherever the service runs: in this JVM, or in a
 * sidecar reached over a local socket. The same code works with either implementation.
 *
 * <p><b>Style.</b> The asynchronous methods ({@code ...Async}) are primary: each returns a
 * future that completes within the call's deadline, exceptionally with a {@link
 * dev.bgservice.error.BgServiceException} whose {@link dev.bgservice.error.ErrorCode code} says
 * what failed ({@code already_running}, {@code not_running}, {@code timeout}, {@code
 * ipc_unavailable}, ...). The blocking methods are thin: they wait for the future (at most the
 * {@link #callTimeout()} plus a margin) and throw the same exception.
 */
public interface ServiceClient extends AutoCloseable {

  /**
   * Starts the service. With {@link StartOptions#waitForInit()} the future completes after
   * {@code init} succeeded and fails with {@code init_failed} if it did not.
   */
  CompletableFuture<Void> startAsync(StartConfig config, StartOptions options);

  /**
   * Stops the service. With a timeout, completes after {@code run} returned, or fails with
   * {@code timeout} when it did not in time (the run is then abandoned by its host); without,
   * completes once the stop was requested.
   */
  CompletableFuture<Void> stopAsync(Optional<Duration> timeout);

  /** Whether a run is active. */
  CompletableFuture<Boolean> isRunningAsync();

  /** The base protocol's four-state status. */
  CompletableFuture<ServiceStatus> getStateAsync();

  /** The full lifecycle status: state, intent, recovery, capabilities, issues. */
  CompletableFuture<LifecycleStatus> getLifecycleStatusAsync();

  /**
   * Records the intent that the service should run (with {@code config}, or the last config),
   * so its host restarts it after a failure or its own restart. Starts nothing.
   */
  CompletableFuture<Void> enableAutoRestartAsync(Optional<StartConfig> config);

  /** Records the intent that the service need not be restarted. Stops nothing. */
  CompletableFuture<Void> disableAutoRestartAsync();

  /** The persisted intent; empty when nothing was ever persisted. */
  CompletableFuture<Optional<DesiredState>> getDesiredStateAsync();

  /** Validates the setup with active checks. */
  CompletableFuture<SetupValidationReport> validateSetupAsync();

  /**
   * Subscribes a listener, delivered on {@code executor} one event at a time, in order. See
   * {@link Executors} for the Swing event thread and same-thread adapters.
   */
  Subscription subscribe(ServiceListener listener, Executor executor);

  /** Whether calls are forwarded now (always true in-process while open). */
  boolean isConnected();

  /**
   * The connection state: an in-process client is {@link ConnectionState#CONNECTED} until
   * closed; an IPC client reports its real state.
   */
  default ConnectionState connectionState() {
    return isConnected() ? ConnectionState.CONNECTED : ConnectionState.CLOSED;
  }

  /**
   * Waits until calls are forwarded, at most {@code timeout}; returns at once, false, when the
   * client is closed or has given up. An in-process client answers at once.
   */
  default boolean waitForConnected(Duration timeout) throws InterruptedException {
    return isConnected();
  }

  /** The default deadline of this client's calls. */
  Duration callTimeout();

  /** Releases everything this client holds. Idempotent; calls after it fail. */
  @Override
  void close();

  // ---- blocking forms ----

  /** Starts the service and returns once the start is scheduled. */
  default void start(StartConfig config) {
    start(config, StartOptions.DEFAULT);
  }

  /** Starts the service with options; see {@link #startAsync}. */
  default void start(StartConfig config, StartOptions options) {
    await(startAsync(config, options), options.timeout().orElse(callTimeout()), "start");
  }

  /** Stops the service once the stop is requested; does not wait for the run to return. */
  default void stop() {
    await(stopAsync(Optional.empty()), callTimeout(), "stop");
  }

  /** Stops the service and waits for its run to return, at most {@code timeout}. */
  default void stop(Duration timeout) {
    await(stopAsync(Optional.of(timeout)), timeout.plus(callTimeout()), "stop");
  }

  /** Whether a run is active. */
  default boolean isRunning() {
    return await(isRunningAsync(), callTimeout(), "isRunning");
  }

  /** The base protocol's four-state status. */
  default ServiceStatus getState() {
    return await(getStateAsync(), callTimeout(), "getState");
  }

  /** The full lifecycle status. */
  default LifecycleStatus getLifecycleStatus() {
    return await(getLifecycleStatusAsync(), callTimeout(), "getLifecycleStatus");
  }

  /** Records the intent that the service should run. */
  default void enableAutoRestart(Optional<StartConfig> config) {
    await(enableAutoRestartAsync(config), callTimeout(), "enableAutoRestart");
  }

  /** Records the intent that the service need not be restarted. */
  default void disableAutoRestart() {
    await(disableAutoRestartAsync(), callTimeout(), "disableAutoRestart");
  }

  /** The persisted intent, if any. */
  default Optional<DesiredState> getDesiredState() {
    return await(getDesiredStateAsync(), callTimeout(), "getDesiredState");
  }

  /** Validates the setup. */
  default SetupValidationReport validateSetup() {
    return await(validateSetupAsync(), callTimeout(), "validateSetup");
  }

  private static <T> T await(CompletableFuture<T> future, Duration deadline, String what) {
    // The future itself honours the deadline; the margin only guards against a broken one.
    return Futures.await(future, deadline.plusSeconds(1), what);
  }
}
