package dev.bgservice.os.probe;

import java.util.List;
import java.util.Objects;

/**
 * What a sidecar said about itself when probed with {@code --validate-service-install}.
 *
 * @param bgserviceVersion the bgservice version it was built with
 * @param protocol the highest wire protocol version it speaks
 * @param label the service label it would serve
 * @param argv the command line that was probed
 */
public record ProbeResult(String bgserviceVersion, int protocol, String label, List<String> argv) {

  /** Copies the command line and checks nothing is null. */
  public ProbeResult {
    Objects.requireNonNull(bgserviceVersion, "bgserviceVersion");
    Objects.requireNonNull(label, "label");
    argv = List.copyOf(argv);
  }
}
