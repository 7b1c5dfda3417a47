package dev.bgservice.cli;

import dev.bgservice.demo.TickerService;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.sidecar.ServiceClasses;
import dev.bgservice.sidecar.SidecarMain;
import dev.bgservice.sidecar.SidecarOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bgs serve}: runs the sidecar in the foreground. Prints {@code ready <socket>} as the
 * first line on stdout once it accepts connections; SIGTERM or SIGINT shut it down in order.
 */
@Command(name = "serve", description = "Runs the sidecar in the foreground (the generic host).")
final class ServeCommand implements Callable<Integer> {
  @Mixin TargetOptions target = new TargetOptions();

  @Mixin HostedServiceOptions hosted = new HostedServiceOptions();

  @Option(names = SidecarMain.VALIDATE, description = "Print the installation probe line and exit.")
  boolean validate;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Supplier<? extends BackgroundService> factory =
        hosted.serviceClass == null
            ? TickerService::new
            : ServiceClasses.factory(hosted.serviceClass, hosted.classpath);
    if (validate) {
      spec.commandLine().getOut().println(
          SidecarMain.validationLine(java.util.Optional.of(target.label())));
      return ExitCodes.OK;
    }
    SidecarOptions options = SidecarOptions.forLabel(target.label());
    options = options.withStateDirectory(hosted.stateDirectory());
    if (target.hasExplicitSocket()) {
      options = options.withSocketPath(target.socketPath());
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    return SidecarMain.run(options, factory, out, System.err);
  }
}
