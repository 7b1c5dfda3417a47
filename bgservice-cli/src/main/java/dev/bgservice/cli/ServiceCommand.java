package dev.bgservice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bgs service start|stop|restart|status}: controls an installed OS service through its
 * service manager. Unlike {@code bgs start} and {@code bgs stop}, which start and stop the
 * background service inside a running sidecar, these start and stop the sidecar process itself.
 */
@Command(
    name = "service",
    description = "Starts, stops, restarts or shows the installed OS service (the sidecar process).",
    subcommands = {
      ServiceControlCommand.Start.class,
      ServiceControlCommand.Stop.class,
      ServiceControlCommand.Restart.class,
      ServiceStatusCommand.class
    })
final class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: start, stop, restart or status");
  }
}
