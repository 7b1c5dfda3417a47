package dev.bgservice.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.ConnectionEvent;
import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.ServiceListener;
import dev.bgservice.client.StartOptions;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.client.ReconnectPolicy;
import dev.bgservice.service.StartConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bgs demo}: in about ten seconds, launches a sidecar as a separate process, drives the
 * ticker service through it, kills the sidecar with SIGKILL, launches a new one and shows the
 * client reconnecting and the events resuming, then cleans up. Leaves no process and no socket
 * behind, even when interrupted.
 */
@Command(name = "demo", description = "Shows a sidecar-hosted service surviving a crash, in about ten seconds.")
final class DemoCommand implements Callable<Integer> {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  private final List<Process> sidecars = new CopyOnWriteArrayList<>();
  private Scratch scratch;
  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    try (Scratch created = Scratch.create("bgs-demo")) {
      scratch = created;
      return run();
    }
  }

  private int run() throws Exception {
    Path socket = scratch.resolve("demo.sock");
    Semaphore ticks = new Semaphore(0);
    Semaphore connected = new Semaphore(0);
    Semaphore disconnected = new Semaphore(0);

    say("1. launching a sidecar JVM (the headless host of the ticker service)");
    Process first = launchSidecar(socket, 1);
    say("   sidecar pid " + first.pid() + " is ready on " + socket);

    ReconnectPolicy fast =
        ReconnectPolicy.DEFAULT.withUnboundedRetries()
            .withInitialDelay(Duration.ofMillis(200))
            .withMaxDelay(Duration.ofSeconds(1));
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(socket).reconnectPolicy(fast).build()) {
      client.subscribe(
          new ServiceListener() {
            @Override
            public void onEvent(ServiceEvent event) {
              say("   event " + describe(event));
              if (event instanceof ServiceEvent.Custom c && c.name().equals("tick")) {
                ticks.release();
              }
            }

            @Override
            public void onConnection(ConnectionEvent event) {
              say("   connection: " + event.state().wireName()
                  + (event.state() == ConnectionState.CONNECTING && event.attempt() > 0
                      ? " (attempt " + event.attempt() + ")" : "")
                  + event.lastError().filter(e -> event.state() != ConnectionState.CONNECTED)
                      .map(e -> " - " + e).orElse(""));
              if (event.state() == ConnectionState.CONNECTED) {
                connected.release();
              } else if (event.state() == ConnectionState.DISCONNECTED) {
                disconnected.release();
              }
            }
          },
          Executors.sameThread());
      require(client.waitForConnected(STEP_TIMEOUT), "the client could not connect");

      say("2. starting the ticker (a tick every 300 ms) and waiting for three ticks");
      client.start(
          StartConfig.withParams(JsonNodeFactory.instance.objectNode().put("intervalMs", 300)),
          StartOptions.DEFAULT.withWaitForInit());
      require(ticks.tryAcquire(3, STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "no ticks arrived");
      say("   status: " + client.getLifecycleStatus().state().wireName());

      say("3. killing the sidecar with SIGKILL (pid " + first.pid() + ")");
      connected.drainPermits();
      first.destroyForcibly().waitFor();
      require(disconnected.tryAcquire(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          "the client did not notice the lost connection");
      say("   status while disconnected: " + client.getLifecycleStatus().state().wireName()
          + " (synthesized by the client)");

      say("4. launching a new sidecar on the same socket");
      Process second = launchSidecar(socket, 2);
      say("   sidecar pid " + second.pid() + " is ready");
      require(connected.tryAcquire(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          "the client did not reconnect");
      if (!client.isRunning()) {
        say("   the new sidecar does not run the ticker yet: starting it again");
        client.start(
            StartConfig.withParams(JsonNodeFactory.instance.objectNode().put("intervalMs", 300)),
            StartOptions.DEFAULT.withWaitForInit());
      } else {
        say("   the new sidecar restarted the ticker by itself from the persisted intent");
      }
      ticks.drainPermits();
      require(ticks.tryAcquire(3, STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          "the events did not resume");

      say("5. stopping the service and shutting the sidecar down (SIGTERM)");
      client.stop(Duration.ofSeconds(5));
      say("   status: " + client.getLifecycleStatus().state().wireName());
    }
    for (Process sidecar : sidecars) {
      sidecar.destroy();
      sidecar.waitFor(10, TimeUnit.SECONDS);
    }
    require(!Files.exists(socket), "the socket file was left behind");
    say("done: no sidecar process and no socket left behind");
    return ExitCodes.OK;
  }

  private Process launchSidecar(Path socket, int n) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SidecarJvm.flags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Bgs.class.getName()));
    command.addAll(List.of("serve", "--socket", socket.toString(),
        "--state-dir", scratch.resolve("state").toString()));
    Process process = new ProcessBuilder(command)
        .redirectError(scratch.resolve("sidecar-" + n + ".log").toFile())
        .start();
    sidecars.add(scratch.track(process));
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = stdout.readLine(); // the sidecar prints "ready <socket>" once it accepts
    if (line == null || !line.startsWith("ready ")) {
      throw new IllegalStateException("the sidecar did not start; its log is in "
          + scratch.resolve("sidecar-" + n + ".log"));
    }
    return process;
  }

  private void say(String line) {
    synchronized (this) {
      out.println(line);
      out.flush();
    }
  }

  private static void require(boolean condition, String failure) {
    if (!condition) {
      throw new IllegalStateException("demo failed: " + failure);
    }
  }

  private static String describe(ServiceEvent event) {
    String seq = event.seq() > 0 ? "#" + event.seq() + " " : "";
    if (event instanceof ServiceEvent.Custom c) {
      return seq + c.name() + " " + c.payload();
    } else if (event instanceof ServiceEvent.StateChanged s) {
      return seq + "state " + s.from() + " -> " + s.to();
    } else if (event instanceof ServiceEvent.Stopped s) {
      return seq + "stopped (" + s.reason() + ")";
    } else if (event instanceof ServiceEvent.Failed f) {
      return seq + "error: " + f.message();
    } else if (event instanceof ServiceEvent.Resync r) {
      return "resync: a new sidecar instance; state " + r.status().state().wireName();
    }
    return seq + event.type();
  }
}
