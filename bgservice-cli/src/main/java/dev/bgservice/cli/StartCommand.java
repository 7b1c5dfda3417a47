package dev.bgservice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.client.ServiceClient;
import dev.bgservice.client.StartOptions;
import dev.bgservice.service.StartConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs start}. */
@Command(name = "start", description = "Starts the service in the sidecar.")
final class StartCommand extends ClientCommand {
  @Option(
      names = "--params",
      paramLabel = "JSON",
      converter = JsonParams.class,
      description = "Params handed to the service, a JSON object.")
  ObjectNode params;

  @Option(names = "--service-label", paramLabel = "TEXT", description = "Text describing the running service.")
  String serviceLabel;

  @Option(names = "--wait", description = "Wait for the service's init and report its outcome.")
  boolean waitForInit;

  @Override
  int run(ServiceClient client) {
    StartOptions options = StartOptions.DEFAULT.withTimeout(timeout);
    client.start(
        new StartConfig(serviceLabel, null, params),
        waitForInit ? options.withWaitForInit() : options);
    out().println(waitForInit ? "started" : "start requested");
    return ExitCodes.OK;
  }
}
