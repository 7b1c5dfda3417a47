package dev.bgservice.cli;

import dev.bgservice.os.OsServices;
import dev.bgservice.os.ServiceTarget;
import dev.bgservice.os.host.OperationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bgs service start|stop|restart}: one service manager operation on the installed service. */
abstract class ServiceControlCommand extends OsServiceCommand {
  @Option(names = "--dry-run", description = "Print the commands; change nothing.")
  boolean dryRun;

  @Override
  final int run() {
    OsServices services = services();
    ServiceTarget target = target(services, dryRun);
    ReportPrinter.print(out(), operate(services, target), service.describe());
    return ExitCodes.OK;
  }

  /** The operation. */
  abstract OperationReport operate(OsServices services, ServiceTarget target);

  /** {@code bgs service start}. */
  @Command(name = "start", description = "Starts the installed service; nothing happens if it is running.")
  static final class Start extends ServiceControlCommand {
    @Override
    OperationReport operate(OsServices services, ServiceTarget target) {
      return services.start(target);
    }
  }

  /** {@code bgs service stop}. */
  @Command(name = "stop", description = "Stops the installed service; nothing happens if it is stopped.")
  static final class Stop extends ServiceControlCommand {
    @Override
    OperationReport operate(OsServices services, ServiceTarget target) {
      return services.stop(target);
    }
  }

  /** {@code bgs service restart}. */
  @Command(name = "restart", description = "Stops the installed service if it is running, then starts it.")
  static final class Restart extends ServiceControlCommand {
    @Override
    OperationReport operate(OsServices services, ServiceTarget target) {
      return services.restart(target);
    }
  }
}
