package dev.bgservice.cli;

import dev.bgservice.platform.Directories;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What the generic host runs and where it keeps its state: shared by {@code serve} and {@code install}. */
final class HostedServiceOptions {
  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "State directory (desired state, logs; default: the user's bgservice state directory).")
  Path stateDir;

  @Option(names = "--service", paramLabel = "CLASS",
      description = "BackgroundService class to host (default: the demo ticker).")
  String serviceClass;

  @Option(names = "--classpath", paramLabel = "CP", description = "Where to load --service from.")
  String classpath;

  /** The state directory given, or the platform's default. */
  Path stateDirectory() {
    return stateDir != null ? stateDir : Directories.current().stateRoot();
  }

  /** The service class given, if any. */
  Optional<String> serviceClass() {
    return Optional.ofNullable(serviceClass);
  }
}
