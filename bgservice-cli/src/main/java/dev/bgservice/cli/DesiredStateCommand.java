package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import dev.bgservice.status.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs desired-state}: the persisted intent. */
@Command(name = "desired-state", description = "Shows the persisted intent (should the service run, with what).")
final class DesiredStateCommand extends ClientCommand {
  @Option(names = "--json", description = "Print as one JSON object (null when nothing is persisted).")
  boolean json;

  @Override
  int run(ServiceClient client) {
    var state = client.getDesiredState();
    if (json) {
      out().println(state.map(s -> StatusJson.toJson(s).toString()).orElse("null"));
    } else if (state.isEmpty()) {
      out().println("nothing persisted yet");
    } else {
      Formats.print(out(), state.get());
    }
    return ExitCodes.OK;
  }
}
