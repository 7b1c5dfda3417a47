package dev.bgservice.cli;

import dev.bgservice.ipc.endpoint.EndpointResolver;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which sidecar a command talks to: {@code --label} (default {@value #DEFAULT_LABEL}) or {@code --socket}. */
final class TargetOptions {
  /** The label used when neither option is given. */
  static final String DEFAULT_LABEL = "bgservice";

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Choice choice;

  static final class Choice {
    @Option(
        names = "--label",
        paramLabel = "LABEL",
        description = "Service label; its socket is found at the default location.")
    String label;

    @Option(names = "--socket", paramLabel = "PATH", description = "Explicit socket path.")
    Path socket;
  }

  String label() {
    return choice != null && choice.label != null ? choice.label : DEFAULT_LABEL;
  }

  boolean hasExplicitSocket() {
    return choice != null && choice.socket != null;
  }

  /** The absolute socket path this target names. */
  Path socketPath() throws IOException {
    EndpointResolver resolver = EndpointResolver.system();
    return hasExplicitSocket()
        ? resolver.explicit(choice.socket).socketPath()
        : resolver.resolve(label()).socketPath();
  }
}
