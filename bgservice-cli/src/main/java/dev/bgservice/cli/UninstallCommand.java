package dev.bgservice.cli;

import dev.bgservice.os.OsServices;
import dev.bgservice.os.ServiceTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bgs uninstall}: stops the OS service and removes everything {@code bgs install} wrote.
 * The state directory and its logs are kept.
 */
@Command(
    name = "uninstall",
    description = "Stops the OS service and removes what install wrote (the state directory stays).")
final class UninstallCommand extends OsServiceCommand {
  @Option(names = "--dry-run", description = "Print the files and commands; change nothing.")
  boolean dryRun;

  @Override
  int run() {
    OsServices services = services();
    ServiceTarget target = target(services, dryRun);
    ReportPrinter.print(out(), services.uninstall(target), service.describe());
    return ExitCodes.OK;
  }
}
