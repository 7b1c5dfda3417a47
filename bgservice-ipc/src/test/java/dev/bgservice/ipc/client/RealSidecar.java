package dev.bgservice.ipc.client;

import dev.bgservice.client.InProcessServiceClient;
import dev.bgservice.ipc.server.IpcServer;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.ServiceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The real thing in this JVM: an {@link IpcServer} serving an {@link InProcessServiceClient} over
 * a {@link LifecycleManager}, whose service runs until stopped and lets the test emit its events.
 * The server can be replaced (a new instance on the same socket) while the engine goes on.
 */
final class RealSidecar implements AutoCloseable {

  private final Path socketPath;
  private final AtomicReference<ServiceContext> running = new AtomicReference<>();
  private final Semaphore runs = new Semaphore(0);
  final InProcessServiceClient engine;
  private IpcServer server;

  RealSidecar(Path socketPath, Path workDirectory) {
    this.socketPath = socketPath;
    LifecycleManager manager =
        LifecycleManager.builder(
                "client-test",
                () ->
                    context -> {
                      running.set(context);
                      runs.release();
                      while (!context.shutdown().await(Duration.ofSeconds(30))) {
                        // run until stopped
                      }
                    })
            .dataDirectory(workDirectory.resolve("data"))
            .defaultStopTimeout(Duration.ofSeconds(5))
            .stopGrace(Duration.ofMillis(200))
            .build();
    engine =
        InProcessServiceClient.builder(manager)
            .stateDirectory(workDirectory.resolve("state"))
            .build();
  }

  /** Starts a new server on the socket (closing the previous one first, if any). */
  IpcServer serve(UnaryOperator<IpcServer.Builder> configure) {
    if (server != null) {
      server.close();
    }
    server = configure.apply(IpcServer.builder(socketPath, engine)).build();
    server.start();
    return server;
  }

  IpcServer serve() {
    return serve(builder -> builder);
  }

  IpcServer server() {
    return server;
  }

  /** The context of the service's latest run, waiting for the run to start. */
  ServiceContext awaitRun() throws InterruptedException {
    if (!runs.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the service did not start");
    }
    return running.get();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    engine.close();
  }
}
