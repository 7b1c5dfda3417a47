package dev.bgservice.cli;

import dev.bgservice.client.Executors;
import dev.bgservice.client.InProcessServiceClient;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.client.StartOptions;
import dev.bgservice.demo.TickerService;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.service.StartConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/** {@code bgs demo}: shows the product at work in a few seconds. */
@Command(name = "demo", description = "Shows a background service at work in a few seconds.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("bgs-demo");
    LifecycleManager manager =
        LifecycleManager.builder("bgs-demo", TickerService::new).dataDirectory(data).build();
    CountDownLatch ticks = new CountDownLatch(5);
    try (InProcessServiceClient client = InProcessServiceClient.builder(manager).build()) {
      client.subscribe(
          new ServiceListener() {
            @Override
            public void onEvent(ServiceEvent event) {
              System.out.println("  event #" + event.seq() + ": " + describe(event));
              if (event instanceof ServiceEvent.Custom c && c.name().equals("tick")) {
                ticks.countDown();
              }
            }
          },
          Executors.sameThread());
      System.out.println("starting the ticker service in-process");
      client.start(
          StartConfig.withParams(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                  .objectNode()
                  .put("intervalMs", 200)),
          StartOptions.DEFAULT.withWaitForInit());
      if (!ticks.await(10, TimeUnit.SECONDS)) {
        System.err.println("bgs demo: the ticker did not tick in time");
        return 1;
      }
      System.out.println("status: " + client.getLifecycleStatus().state().wireName());
      System.out.println("stopping");
      client.stop(Duration.ofSeconds(5));
      System.out.println("status: " + client.getLifecycleStatus().state().wireName());
    } finally {
      Files.deleteIfExists(data);
    }
    return 0;
  }

  private static String describe(ServiceEvent event) {
    if (event instanceof ServiceEvent.Custom c) {
      return c.name() + " " + c.payload();
    } else if (event instanceof ServiceEvent.StateChanged s) {
      return "state " + s.from() + " -> " + s.to();
    } else if (event instanceof ServiceEvent.Stopped s) {
      return "stopped (" + s.reason() + ")";
    } else if (event instanceof ServiceEvent.Failed f) {
      return "error: " + f.message();
    }
    return event.type();
  }
}
