package dev.bgservice.os.launch;

import dev.bgservice.service.ServiceLabel;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the {@link LaunchSpec} of the two ways a sidecar is started:
 *
 * <ul>
 *   <li>the user's own application: {@code java -cp <cp> <Main> --service-label <label>
 *       --state-dir <dir>}, using this JVM's runtime and class path ({@link #forApplication});
 *   <li>the generic host: {@code java -jar bgs.jar serve --label <label> --state-dir <dir>
 *       [--service <class>] [--classpath <cp>]} ({@link #forHostJar}).
 * </ul>
 *
 * <p>Both start in the state directory and send standard output and error to {@code
 * <stateDir>/logs/<label>.stdout.log} and {@code .stderr.log} (the sidecar also writes its own
 * rotating log there).
 */
public final class LaunchSpecs {

  private LaunchSpecs() {}

  /**
   * The user's application as the sidecar, run with this JVM's {@code java} binary and class
   * path (relative entries made absolute, since the service starts elsewhere).
   */
  public static LaunchSpec forApplication(String mainClass, String label, Path stateDir) {
    return forApplication(JavaRuntime.currentExecutable(), currentClassPath(), mainClass, label, stateDir);
  }

  /** The user's application as the sidecar, with an explicit runtime and class path. */
  public static LaunchSpec forApplication(
      Path javaExecutable, List<Path> classPath, String mainClass, String label, Path stateDir) {
    ServiceLabel.validate(label);
    Path state = stateDir.toAbsolutePath();
    return withDefaults(
            LaunchSpec.builder(javaExecutable, new ClassPathTarget(classPath, mainClass)), label, state)
        .programArgs("--service-label", label, "--state-dir", state.toString())
        .build();
  }

  /**
   * The generic host in {@code jar} serving {@code label}, optionally with a service class and
   * the class path to load it from.
   */
  public static LaunchSpec forHostJar(
      Path jar,
      String label,
      Path stateDir,
      Optional<String> serviceClass,
      Optional<String> serviceClassPath) {
    return forHostJar(JavaRuntime.currentExecutable(), jar, label, stateDir, serviceClass, serviceClassPath);
  }

  /** The generic host, with an explicit runtime. */
  public static LaunchSpec forHostJar(
      Path javaExecutable,
      Path jar,
      String label,
      Path stateDir,
      Optional<String> serviceClass,
      Optional<String> serviceClassPath) {
    ServiceLabel.validate(label);
    Objects.requireNonNull(serviceClass, "serviceClass");
    Objects.requireNonNull(serviceClassPath, "serviceClassPath");
    Path state = stateDir.toAbsolutePath();
    List<String> args = new ArrayList<>(List.of("serve", "--label", label, "--state-dir", state.toString()));
    serviceClass.ifPresent(c -> args.addAll(List.of("--service", c)));
    serviceClassPath.ifPresent(cp -> args.addAll(List.of("--classpath", cp)));
    return withDefaults(LaunchSpec.builder(javaExecutable, new JarTarget(jar.toAbsolutePath())), label, state)
        .programArgs(args)
        .build();
  }

  /**
   * The jar {@code type} was loaded from, e.g. the {@code bgs} jar for {@link #forHostJar};
   * empty when it was loaded from a directory or the location is unknown.
   */
  public static Optional<Path> jarOf(Class<?> type) {
    try {
      java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      return location.toString().endsWith(".jar") && java.nio.file.Files.isRegularFile(location)
          ? Optional.of(location.toAbsolutePath())
          : Optional.empty();
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** This JVM's class path ({@code java.class.path}), every entry made absolute. */
  public static List<Path> currentClassPath() {
    String classPath = System.getProperty("java.class.path", "");
    List<Path> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize());
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("this JVM has an empty class path (java.class.path)");
    }
    return entries;
  }

  /** Where the service manager sends standard output for a label. */
  public static Path stdoutLog(Path stateDir, String label) {
    return stateDir.resolve("logs").resolve(label + ".stdout.log");
  }

  /** Where the service manager sends standard error for a label. */
  public static Path stderrLog(Path stateDir, String label) {
    return stateDir.resolve("logs").resolve(label + ".stderr.log");
  }

  private static LaunchSpec.Builder withDefaults(LaunchSpec.Builder builder, String label, Path state) {
    return builder.workingDirectory(state).logs(stdoutLog(state, label), stderrLog(state, label));
  }
}
