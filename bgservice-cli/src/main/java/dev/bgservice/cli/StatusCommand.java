package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import dev.bgservice.status.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs status}: the lifecycle status. */
@Command(name = "status", description = "Shows the lifecycle status.")
final class StatusCommand extends ClientCommand {
  @Option(names = "--json", description = "Print the status as one JSON object.")
  boolean json;

  @Override
  int run(ServiceClient client) {
    var status = client.getLifecycleStatus();
    if (json) {
      out().println(StatusJson.toJson(status));
    } else {
      Formats.print(out(), status);
    }
    return ExitCodes.OK;
  }
}
