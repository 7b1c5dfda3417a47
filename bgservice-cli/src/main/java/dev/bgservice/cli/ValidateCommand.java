package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import dev.bgservice.status.StatusJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs validate}: the setup validation report; exits 1 when it has errors. */
@Command(name = "validate", description = "Validates the setup; exits 1 when there is an error.")
final class ValidateCommand extends ClientCommand {
  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Override
  int run(ServiceClient client) {
    var report = client.validateSetup();
    if (json) {
      out().println(StatusJson.toJson(report));
    } else {
      Formats.print(out(), report);
    }
    return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
