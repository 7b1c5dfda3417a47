package dev.bgservice.os.windows;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandKind;
import dev.bgservice.os.command.CommandSyntax;
import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.launch.JarTarget;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.launch.LaunchTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The command lines that register a sidecar as a Windows service with procrun ({@code
 * prunsrv.exe} from Apache Commons Daemon's {@code bin-windows} distribution on Maven
 * Central), and set its failure actions with {@code sc.exe}.
 *
 * <p>The service runs in procrun's {@code jvm} mode: procrun loads the runtime's {@code
 * jvm.dll}, calls the main class, and stops the service by calling {@code System.exit(0)} in
 * the same JVM, so the sidecar's shutdown hooks run (a process-based mode would have to kill
 * it). {@code -Xrs} keeps the JVM alive when the user who started the service logs off.
 *
 * <p>Multi-valued procrun options ({@code StartParams}, {@code JvmOptions}, {@code
 * Environment}) are split by procrun at {@code #} and {@code ;}; every value is therefore
 * wrapped in single quotes, which procrun removes. A value containing a single quote, or an odd
 * number of double quotes, cannot be passed and is refused.
 */
public final class ProcrunCommands {

  private ProcrunCommands() {}

  /** {@code prunsrv.exe //IS//<label> ...}: registers the service. */
  public static Command install(ServiceDefinition definition, String prunsrv, ClassPathTarget target) {
    return prunsrv(prunsrv, "//IS//" + definition.label(), parameters(definition, prunsrv, target));
  }

  /** {@code prunsrv.exe //US//<label> ...}: replaces the configuration of a registered service. */
  public static Command update(ServiceDefinition definition, String prunsrv, ClassPathTarget target) {
    return prunsrv(prunsrv, "//US//" + definition.label(), parameters(definition, prunsrv, target));
  }

  /** {@code prunsrv.exe //DS//<label>}: stops the service if running and removes it. */
  public static Command delete(String label, String prunsrv) {
    return prunsrv(prunsrv, "//DS//" + label, List.of());
  }

  /**
   * {@code sc.exe failure <label> reset= <s> actions= restart/<ms>/restart/<ms>/restart/<ms>}:
   * restart after the first, second and later failures with growing delays, and forget
   * failures after the policy's interval without one.
   */
  public static Command failureActions(String label, RestartPolicy restart) {
    String actions =
        "restart/" + restart.initialDelay().toMillis()
            + "/restart/" + restart.middleDelay().toMillis()
            + "/restart/" + restart.maxDelay().toMillis();
    return sc("failure", label, "reset=", Long.toString(restart.interval().toSeconds()), "actions=", actions);
  }

  /**
   * {@code sc.exe failureflag <label> 1}: also apply the failure actions when the service stops
   * with an error exit code, not only when its process dies.
   */
  public static Command failureFlag(String label) {
    return sc("failureflag", label, "1");
  }

  /** {@code sc.exe <args>} changing the machine. */
  static Command sc(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("sc.exe");
    argv.addAll(List.of(args));
    return new Command(argv, CommandKind.CHANGE, CommandSyntax.WINDOWS);
  }

  /** {@code sc.exe <args>} reading state. */
  static Command scQuery(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("sc.exe");
    argv.addAll(List.of(args));
    return new Command(argv, CommandKind.QUERY, CommandSyntax.WINDOWS);
  }

  /**
   * The class path and main class procrun's {@code jvm} mode needs: a class path target as it
   * is, a jar as itself plus the {@code Main-Class} of its manifest.
   */
  public static ClassPathTarget classPathTarget(LaunchTarget target) {
    if (target instanceof ClassPathTarget classPath) {
      return classPath;
    }
    Path jar = ((JarTarget) target).jar();
    try (JarFile file = new JarFile(jar.toFile())) {
      String main =
          file.getManifest() == null
              ? null
              : file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      if (main == null || main.isBlank()) {
        throw new IllegalArgumentException("The jar " + jar + " has no Main-Class in its manifest.");
      }
      return new ClassPathTarget(List.of(jar), main.strip());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the manifest of " + jar + ": " + e.getMessage(), e);
    }
  }

  private static List<String> parameters(ServiceDefinition definition, String prunsrv, ClassPathTarget target) {
    LaunchSpec launch = definition.launch();
    String java = launch.javaExecutable().toString();
    RestartPolicy restart = definition.restart();
    List<String> options = new ArrayList<>();
    options.add("--DisplayName=" + definition.label());
    options.add("--Description=" + definition.description());
    options.add("--Install=" + prunsrv);
    options.add("--Startup=" + (definition.autostart() ? "auto" : "manual"));
    options.add("--Jvm=" + WindowsPaths.jvmDll(java));
    options.add("--Classpath=" + target.joinedClassPath(";"));
    List<String> jvmOptions = new ArrayList<>();
    jvmOptions.add("-Xrs");
    jvmOptions.addAll(launch.jvmOptions());
    options.add("--JvmOptions=" + multiValue(jvmOptions, "JVM option"));
    options.add("--StartMode=jvm");
    options.add("--StartClass=" + target.mainClass());
    options.add("--StartMethod=main");
    if (!launch.programArgs().isEmpty()) {
      options.add("--StartParams=" + multiValue(launch.programArgs(), "program argument"));
    }
    options.add("--StopMode=jvm");
    options.add("--StopClass=java.lang.System");
    options.add("--StopMethod=exit");
    options.add("--StopParams=0");
    options.add("--StopTimeout=" + Math.max(1, restart.stopTimeout().toSeconds()));
    launch.workingDirectory().ifPresent(dir -> options.add("--StartPath=" + dir));
    if (!launch.environment().isEmpty()) {
      List<String> assignments =
          launch.environment().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .toList();
      options.add("--Environment=" + multiValue(assignments, "environment variable"));
    }
    launch.stdoutLog().ifPresent(p -> {
      options.add("--LogPath=" + WindowsPaths.parent(p.toString()));
      options.add("--LogPrefix=" + definition.label() + ".procrun");
      options.add("--StdOutput=" + p);
    });
    launch.stderrLog().ifPresent(p -> options.add("--StdError=" + p));
    if (definition.runAs().isPresent()) {
      options.add("--ServiceUser=" + definition.runAs().get());
    }
    return options;
  }

  /** Values for a procrun multi-valued option: each single-quoted, joined by {@code ;}. */
  static String multiValue(List<String> values, String what) {
    for (String value : values) {
      if (value.indexOf('\'') >= 0) {
        throw new IllegalArgumentException(
            "procrun cannot pass a " + what + " containing a single quote: " + value);
      }
      if (value.chars().filter(c -> c == '"').count() % 2 != 0) {
        throw new IllegalArgumentException(
            "procrun cannot pass a " + what + " containing an odd number of double quotes: " + value);
      }
    }
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(";"));
  }

  private static Command prunsrv(String prunsrv, String verb, List<String> options) {
    List<String> argv = new ArrayList<>();
    argv.add(prunsrv);
    argv.add(verb);
    argv.addAll(options);
    return new Command(argv, CommandKind.CHANGE, CommandSyntax.WINDOWS);
  }
}
