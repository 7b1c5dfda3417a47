package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs stop}. */
@Command(name = "stop", description = "Stops the service (a user stop: the intent to run is cleared).")
final class StopCommand extends ClientCommand {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Wait up to this long for the service to stop; fail if it does not.")
  Duration stopTimeout;

  @Override
  int run(ServiceClient client) {
    if (stopTimeout == null) {
      client.stop();
      out().println("stop requested");
    } else {
      client.stop(stopTimeout);
      out().println("stopped");
    }
    return ExitCodes.OK;
  }
}
