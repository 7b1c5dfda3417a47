package dev.bgservice.sidecar;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.platform.ProductVersion;
import dev.bgservice.service.BackgroundService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry points that run a sidecar in the foreground.
 *
 * <p>An app that installs itself as its own sidecar (the same-binary model) adds one line at
 * the top of {@code main}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   SidecarMain.runIfRequested(args, MyService::new); // does not return when run as the sidecar
 *   // ... the app itself
 * }
 * }</pre>
 *
 * <p>The sidecar arguments are {@code --service-label <label>} (required to run), {@code
 * --state-dir <dir>}, {@code --socket <path>}, and {@code --validate-service-install}, which
 * prints one JSON line with the bgservice and protocol versions and exits 0 without binding
 * anything.
 */
public final class SidecarMain {
  private static final Logger log = LoggerFactory.getLogger(SidecarMain.class);

  /** The argument that selects sidecar mode. */
  public static final String SERVICE_LABEL = "--service-label";
  /** The argument that asks for the installation probe answer. */
  public static final String VALIDATE = "--validate-service-install";

  private SidecarMain() {}

  /**
   * Runs the sidecar and exits the JVM when {@code args} ask for it; returns normally otherwise.
   * Bad sidecar arguments print one line to standard error and exit with code 2.
   */
  public static void runIfRequested(String[] args, Supplier<? extends BackgroundService> factory) {
    Objects.requireNonNull(factory, "factory");
    SidecarArguments parsed;
    try {
      parsed = SidecarArguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sidecar: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.validate()) {
      System.out.println(validationLine(parsed.label()));
      System.out.flush();
      System.exit(0);
    }
    if (parsed.label().isEmpty()) {
      return;
    }
    SidecarOptions options = SidecarOptions.forLabel(parsed.label().get());
    if (parsed.stateDirectory().isPresent()) {
      options = options.withStateDirectory(parsed.stateDirectory().get());
    }
    if (parsed.socketPath().isPresent()) {
      options = options.withSocketPath(parsed.socketPath().get());
    }
    System.exit(run(options, factory, System.out, System.err));
  }

  /**
   * The one JSON line {@code --validate-service-install} prints, e.g. {@code
   * {"bgservice":"0.1.0","protocol":2,"label":"sync"}}.
   */
  public static String validationLine(Optional<String> label) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("bgservice", ProductVersion.version());
    line.put("protocol", ProductVersion.PROTOCOL_VERSION);
    label.ifPresent(l -> line.put("label", l));
    line.put("java", Runtime.version().toString());
    return line.toString();
  }

  /**
   * Runs a sidecar in the foreground until SIGTERM or SIGINT, then shuts it down in order.
   * Prints {@code ready <absolute socket path>} to {@code out} once clients can connect.
   *
   * @return the process exit code: 0 after an orderly shutdown, 1 when the sidecar could not
   *     start (the reason is one line on {@code err})
   */
  public static int run(
      SidecarOptions options,
      Supplier<? extends BackgroundService> factory,
      PrintStream out,
      PrintStream err) {
    try {
      SidecarLogging.configure(options.logFile(), options.logToStderr());
    } catch (IOException e) {
      err.println("bgs: cannot open the log file " + options.logFile() + ": " + e.getMessage());
      return 1;
    }
    Sidecar sidecar;
    try {
      sidecar = Sidecar.start(options, factory);
    } catch (BgServiceException | IllegalArgumentException e) {
      // One line for the operator; the log (which also goes to stderr) would only repeat it.
      err.println("bgs: " + e.getMessage());
      return 1;
    }
    TerminationSignals.install(sidecar::shutdown);
    // Also covers System.exit from elsewhere and signals the handler above could not take.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(sidecar::shutdown, "bgservice-sidecar-shutdown-hook"));
    out.println("ready " + sidecar.socketPath());
    out.flush();
    try {
      sidecar.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sidecar.shutdown();
    }
    return 0;
  }

  /** The sidecar's own arguments; anything else is left to the app. */
  record SidecarArguments(
      Optional<String> label,
      Optional<Path> stateDirectory,
      Optional<Path> socketPath,
      boolean validate) {

    static SidecarArguments parse(String[] args) {
      Optional<String> label = Optional.empty();
      Optional<Path> stateDir = Optional.empty();
      Optional<Path> socket = Optional.empty();
      boolean validate = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case SERVICE_LABEL -> label = Optional.of(value(args, ++i, SERVICE_LABEL));
          case "--state-dir" -> stateDir = Optional.of(Path.of(value(args, ++i, "--state-dir")));
          case "--socket" -> socket = Optional.of(Path.of(value(args, ++i, "--socket")));
          case VALIDATE -> validate = true;
          default -> {
            // not ours: the app's own argument
          }
        }
      }
      return new SidecarArguments(label, stateDir, socket, validate);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length || args[index].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }
  }
}
