package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.client.PersistentIpcClient;
import dev.bgservice.ipc.client.ReconnectPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that connects to a sidecar, does one thing and disconnects. */
abstract class ClientCommand implements Callable<Integer> {
  /** How long a one-shot command waits to connect before saying the sidecar is unreachable. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  @Mixin TargetOptions target = new TargetOptions();

  @Option(
      names = "--call-timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Deadline of the call (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    Path socket = target.socketPath();
    try (PersistentIpcClient client = open(socket, timeout, ReconnectPolicy.DEFAULT.withMaxRetries(0))) {
      if (!client.waitForConnected(CONNECT_TIMEOUT)) {
        throw new ServiceUnavailableException(
            "cannot reach the sidecar at " + socket + unreachableDetail(client), null);
      }
      return run(client);
    }
  }

  static PersistentIpcClient open(Path socket, Duration callTimeout, ReconnectPolicy policy) {
    return PersistentIpcClient.builder(socket).callTimeout(callTimeout).reconnectPolicy(policy)
        .build();
  }

  static String unreachableDetail(PersistentIpcClient client) {
    return client.lastConnectionEvent().lastError().map(e -> ": " + e).orElse("");
  }

  /** Does the command's work on a connected client; returns the exit code. */
  abstract int run(ServiceClient client) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
