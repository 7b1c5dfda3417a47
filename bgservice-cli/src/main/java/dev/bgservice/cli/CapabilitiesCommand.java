package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import dev.bgservice.status.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs capabilities}: what the platform can promise, as the sidecar sees it. */
@Command(name = "capabilities", description = "Shows what the platform can promise about keeping the service alive.")
final class CapabilitiesCommand extends ClientCommand {
  @Option(names = "--json", description = "Print as one JSON object.")
  boolean json;

  @Override
  int run(ServiceClient client) {
    var caps = client.getLifecycleStatus().capabilities();
    if (json) {
      out().println(StatusJson.toJson(caps));
    } else {
      Formats.print(out(), caps);
    }
    return ExitCodes.OK;
  }
}
