package dev.bgservice.benchmarks;

import dev.bgservice.client.StartOptions;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import dev.bgservice.sidecar.Sidecar;
import dev.bgservice.sidecar.SidecarOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The product's real {@link Sidecar} (lifecycle manager, in-process engine, IPC server) in this
 * JVM, on a socket in a {@link Workspace}, hosting a service that does nothing but wait to be
 * stopped and lets the benchmark emit events through its context.
 */
final class InProcessSidecar implements AutoCloseable {
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
  private static final String LABEL = "bench";

  private final Sidecar sidecar;
  private final CompletableFuture<ServiceContext> runContext = new CompletableFuture<>();

  private InProcessSidecar(Workspace workspace) {
    QuietLogs.apply();
    SidecarOptions options =
        SidecarOptions.forLabel(LABEL)
            .withSocketPath(workspace.resolve(LABEL + ".sock"))
            .withStateDirectory(workspace.resolve("state"))
            .withStopTimeout(Duration.ofSeconds(5));
    this.sidecar = Sidecar.start(options, () -> new IdleService(runContext));
  }

  /** Starts a sidecar whose socket and state live in {@code workspace}. */
  static InProcessSidecar start(Workspace workspace) {
    return new InProcessSidecar(workspace);
  }

  /** The sidecar's socket. */
  Path socketPath() {
    return sidecar.socketPath();
  }

  /**
   * Starts the service through the in-process engine and returns the context of its run, through
   * which the benchmark emits the service's events.
   */
  ServiceContext startService() throws InterruptedException {
    sidecar.engine().start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    try {
      return runContext.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the benchmark service did not start", e);
    }
  }

  /** A persistent client of this sidecar, connected. */
  PersistentIpcClient connect() throws InterruptedException {
    PersistentIpcClient client =
        PersistentIpcClient.builder(socketPath()).callTimeout(SETUP_TIMEOUT).build();
    if (!client.waitForConnected(SETUP_TIMEOUT)) {
      client.close();
      throw new IllegalStateException("the benchmark client could not connect to " + socketPath());
    }
    return client;
  }

  /** Stops the service if it runs, tells clients {@code shuttingDown}, removes the socket. */
  @Override
  public void close() {
    sidecar.shutdown();
  }

  /** Publishes its run's context, then waits to be stopped. */
  private static final class IdleService implements BackgroundService {
    private final CompletableFuture<ServiceContext> runContext;

    IdleService(CompletableFuture<ServiceContext> runContext) {
      this.runContext = runContext;
    }

    @Override
    public void run(ServiceContext context) throws InterruptedException {
      runContext.complete(context);
      while (!context.shutdown().await(Duration.ofMinutes(1))) {
        // idle until stopped
      }
    }
  }
}
