package dev.bgservice.cli;

import dev.bgservice.client.ServiceClient;
import picocli.CommandLine.Command;

/** {@code bgs is-running}: prints {@code true} or {@code false}; exits 0 either way. */
@Command(name = "is-running", description = "Prints true or false.")
final class IsRunningCommand extends ClientCommand {
  @Override
  int run(ServiceClient client) {
    out().println(client.isRunning());
    return ExitCodes.OK;
  }
}
