package dev.bgservice.sidecar;

import dev.bgservice.client.InProcessServiceClient;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.endpoint.EndpointResolver;
import dev.bgservice.ipc.endpoint.SocketEndpoint;
import dev.bgservice.ipc.server.IpcServer;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.lifecycle.StopReason;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.os.OsInstallationProbe;
import dev.bgservice.os.OsServices;
import dev.bgservice.os.ServiceTarget;
import dev.bgservice.status.CapabilitiesProbe;
import dev.bgservice.status.LifecycleMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless host for one service: its lifecycle engine and the IPC server on the service's
 * socket. {@link #start} returns once the socket accepts connections; {@link #shutdown} stops the
 * service as an orderly {@code appStop} (the intent to run is kept), tells clients {@code
 * shuttingDown}, and removes the socket and lock files.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

  private final SidecarOptions options;
  private final InProcessServiceClient engine;
  private final IpcServer server;
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private Sidecar(SidecarOptions options, InProcessServiceClient engine, IpcServer server) {
    this.options = options;
    this.engine = engine;
    this.server = server;
  }

  /**
   * Creates the engine and binds the server.
   *
   * @throws BgServiceException with a one-line message when the socket cannot be bound, for
   *     example because a live sidecar already serves this label
   */
  public static Sidecar start(
      SidecarOptions options, Supplier<? extends BackgroundService> factory) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(factory, "factory");
    SocketEndpoint endpoint = endpoint(options);
    LifecycleManager manager =
        LifecycleManager.builder(options.label(), factory)
            .defaultStopTimeout(options.stopTimeout())
            .build();
    Path socket = endpoint.socketPath();
    int maxSocketBytes = EndpointResolver.system().maxPathBytes();
    // The real service manager says whether this sidecar is installed and starts by itself.
    OsInstallationProbe installation =
        new OsInstallationProbe(OsServices.builder().build(), ServiceTarget.user(options.label()));
    InProcessServiceClient engine =
        InProcessServiceClient.builder(manager)
            .stateDirectory(options.stateDirectory())
            .lifecycleMode(LifecycleMode.DESKTOP_OS_SERVICE)
            .capabilities(
                CapabilitiesProbe.builder(LifecycleMode.DESKTOP_OS_SERVICE)
                    .installation(installation)
                    .build()::probe)
            .validation(
                validator ->
                    validator
                        .socketPath(socket, maxSocketBytes)
                        .runtimeDirectory(endpoint.directory())
                        .installation(installation)
                        .sidecar(() -> Optional.of(true)))
            .build();
    // An explicit --socket may live in a directory others can read (a home directory, say).
    IpcServer server =
        IpcServer.builder(endpoint.socketPath(), engine)
            .explicitPath(options.socketPath().isPresent())
            .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    // Only now that this process owns the label: a sidecar (re)started while the service is
    // wanted running starts it again (recovery reason bootRecovery).
    engine.supervisor().recover();
    log.info(
        "sidecar for '{}' serving {} (instance {}, state in {})",
        options.label(),
        endpoint.socketPath(),
        server.instanceId(),
        options.stateDirectory());
    return new Sidecar(options, engine, server);
  }

  private static SocketEndpoint endpoint(SidecarOptions options) {
    EndpointResolver resolver = EndpointResolver.system();
    try {
      return options.socketPath().isPresent()
          ? resolver.explicit(options.socketPath().get())
          : resolver.resolve(options.label());
    } catch (IOException e) {
      throw new BgServiceException(
          ErrorCode.INTERNAL,
          "cannot prepare the socket directory for '" + options.label() + "': " + e.getMessage(),
          e);
    }
  }

  /** The absolute path of the socket clients connect to. */
  public Path socketPath() {
    return server.socketPath();
  }

  /** The options this sidecar runs with. */
  public SidecarOptions options() {
    return options;
  }

  /** The engine, for hosting code in the same JVM. */
  public InProcessServiceClient engine() {
    return engine;
  }

  /**
   * Stops the service ({@code appStop}, at most the stop timeout plus the manager's grace),
   * then closes the server and the engine. Idempotent; later calls wait for the first.
   */
  public void shutdown() {
    if (!shutdownStarted.compareAndSet(false, true)) {
      awaitTermination(options.stopTimeout().plusSeconds(10));
      return;
    }
    try {
      LifecycleManager manager = engine.manager();
      if (manager.isRunning()) {
        log.info("stopping the service before shutting down");
        manager
            .stopAsync(StopReason.APP_STOP, options.stopTimeout())
            .exceptionally(notRunning -> null)
            .join();
      }
      server.close();
      engine.close();
      log.info("sidecar for '{}' shut down", options.label());
    } finally {
      terminated.countDown();
    }
  }

  /** Waits until {@link #shutdown} has completed; returns whether it did within the timeout. */
  public boolean awaitTermination(Duration timeout) {
    try {
      return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Blocks until shut down. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
