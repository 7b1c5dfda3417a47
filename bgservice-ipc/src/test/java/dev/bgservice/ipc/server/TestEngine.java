package dev.bgservice.ipc.server;

import dev.bgservice.client.InProcessServiceClient;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real engine for the server: an {@link InProcessServiceClient} over a real {@link
 * LifecycleManager}. Each start runs the service set with {@link #use}; by default one that runs
 * until stopped and hands out its context, so a test can emit service events itself.
 */
final class TestEngine implements AutoCloseable {

  private final AtomicReference<BackgroundService> next = new AtomicReference<>();
  private final AtomicReference<ServiceContext> running = new AtomicReference<>();
  private final CountDownLatch firstRun = new CountDownLatch(1);
  final InProcessServiceClient client;

  TestEngine(Path dataDirectory) {
    next.set(untilStopped());
    LifecycleManager manager =
        LifecycleManager.builder("wire-test", next::get)
            .dataDirectory(dataDirectory)
            .defaultStopTimeout(Duration.ofSeconds(5))
            .stopGrace(Duration.ofMillis(200))
            .build();
    // A private state directory: the persisted intent must not leak between tests.
    client =
        InProcessServiceClient.builder(manager)
            .stateDirectory(dataDirectory.resolve("state"))
            .callTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** The service the next start runs. */
  TestEngine use(BackgroundService service) {
    next.set(service);
    return this;
  }

  /** A service that publishes its context and runs until stopped. */
  BackgroundService untilStopped() {
    return context -> {
      running.set(context);
      firstRun.countDown();
      while (!context.shutdown().await(Duration.ofSeconds(30))) {
        // keep running
      }
    };
  }

  /** The context of the running {@link #untilStopped()} service, waiting for it to run. */
  ServiceContext awaitRunning() throws InterruptedException {
    if (!firstRun.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the service did not start");
    }
    return running.get();
  }

  @Override
  public void close() {
    client.close();
  }
}
