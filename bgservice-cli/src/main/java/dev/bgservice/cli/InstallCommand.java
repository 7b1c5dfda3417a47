package dev.bgservice.cli;

import dev.bgservice.os.InstallRequest;
import dev.bgservice.os.OsServices;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.ServiceTarget;
import dev.bgservice.os.host.OperationReport;
import dev.bgservice.os.host.Step;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.launch.LaunchSpecs;
import dev.bgservice.sidecar.ServiceClasses;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bgs install}: installs the generic host (this {@code bgs} jar running {@code serve})
 * as an OS service, after probing it with {@code --validate-service-install}, and starts it.
 * With {@code --dry-run}, prints the files it would write and the commands it would run.
 */
@Command(
    name = "install",
    description = "Installs the sidecar (this jar running 'serve') as an OS service and starts it.")
final class InstallCommand extends OsServiceCommand {
  @Option(names = "--autostart", description = "Start it at login (user) or boot (system).")
  boolean autostart;

  @Option(names = "--no-start", description = "Install without starting it now.")
  boolean noStart;

  @Option(names = "--dry-run", description = "Print the files and commands; change nothing.")
  boolean dryRun;

  @Mixin HostedServiceOptions hosted = new HostedServiceOptions();

  @Override
  int run() {
    OsServices services = services();
    ServiceTarget target = target(services, dryRun);
    Optional<String> serviceClassPath = absoluteClassPath();
    checkServiceClass(serviceClassPath);
    Path jar = LaunchSpecs.jarOf(Bgs.class).orElseThrow(() -> new IllegalStateException(
        "bgs install installs the bgs jar, but this bgs was not started from a jar; run it with java -jar bgs.jar"));
    LaunchSpec launch = LaunchSpecs.forHostJar(
        jar,
        target.label(),
        hosted.stateDirectory(),
        hosted.serviceClass(),
        serviceClassPath)
        .toBuilder()
        .jvmOptions(SidecarJvm.flags()) // the small JVM of the launcher, not this CLI's own flags
        .build();
    OperationReport report = services.install(
        InstallRequest.builder(target.label(), launch)
            .scope(target.scope())
            .autostart(autostart)
            .startNow(!noStart)
            .dryRun(dryRun)
            .build());
    ReportPrinter.print(out(), report, service.describe());
    if (!dryRun) {
      lingerAdvice(services, report).ifPresent(advice -> out().println("note: " + advice));
    }
    out().flush();
    return ExitCodes.OK;
  }

  /**
   * The installed service starts in its state directory, so relative class path entries are
   * made absolute now, against the directory {@code bgs install} runs in.
   */
  private Optional<String> absoluteClassPath() {
    if (hosted.classpath == null) {
      return Optional.empty();
    }
    if (hosted.serviceClass == null) {
      throw usageError("--classpath goes with --service: it says where to load the service class from.");
    }
    List<String> entries = new ArrayList<>();
    for (String entry : hosted.classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    return entries.isEmpty() ? Optional.empty() : Optional.of(String.join(File.pathSeparator, entries));
  }

  /**
   * Loads the service class as the installed host will (from this jar and {@code --classpath}),
   * so that a mistyped name is a usage error with the loader's own reason. The probe then
   * checks the real command line.
   */
  private void checkServiceClass(Optional<String> serviceClassPath) {
    if (hosted.serviceClass == null) {
      return;
    }
    try {
      ServiceClasses.factory(hosted.serviceClass, serviceClassPath.orElse(null));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
  }

  /**
   * For a systemd user service: the advice to enable lingering, unless it is off already or
   * the install said so already (it does with {@code --autostart}).
   */
  private Optional<String> lingerAdvice(OsServices services, OperationReport report) {
    if (services.manager() != ServiceManager.SYSTEMD || service.scope() != Scope.USER) {
      return Optional.empty();
    }
    return services.lingerAdvice()
        .filter(advice -> report.steps().stream()
            .noneMatch(step -> step instanceof Step.Note note && note.text().equals(advice)));
  }
}
