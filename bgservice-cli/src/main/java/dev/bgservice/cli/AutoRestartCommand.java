package dev.bgservice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.client.ServiceClient;
import dev.bgservice.service.StartConfig;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bgs auto-restart on|off}: changes only the intent; starts and stops nothing. */
@Command(name = "auto-restart", description = "Turns automatic restart on or off (changes the intent only).")
final class AutoRestartCommand extends ClientCommand {
  enum Switch { on, off }

  @Parameters(index = "0", paramLabel = "on|off", description = "on or off")
  Switch value;

  @Option(names = "--params", paramLabel = "JSON", converter = JsonParams.class,
      description = "With on: the params to restart with (default: the last start's).")
  ObjectNode params;

  @Override
  int run(ServiceClient client) {
    if (value == Switch.on) {
      client.enableAutoRestart(
          params == null ? Optional.empty() : Optional.of(StartConfig.withParams(params)));
      out().println("auto-restart on");
    } else {
      if (params != null) {
        err().println("bgs: --params goes with 'on' only");
        return ExitCodes.USAGE;
      }
      client.disableAutoRestart();
      out().println("auto-restart off");
    }
    return ExitCodes.OK;
  }
}
