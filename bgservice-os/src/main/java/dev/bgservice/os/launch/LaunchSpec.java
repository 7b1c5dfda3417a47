package dev.bgservice.os.launch;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How to start the sidecar JVM: everything a service manager needs to launch it, independent
 * of any manager's file format.
 *
 * <p>Paths are kept as given: generators for another OS (a Windows service generated on Linux
 * in a test, say) need paths this JVM's file system cannot interpret.
 *
 * @param javaExecutable the {@code java} binary
 * @param jvmOptions options before the target, e.g. {@code -Xmx256m}
 * @param target the class path and main class, or the jar
 * @param programArgs arguments after the target, e.g. {@code --service-label x}
 * @param workingDirectory the directory to start in, if any
 * @param environment extra environment variables, sorted by name
 * @param stdoutLog where the service manager should send standard output, if anywhere
 * @param stderrLog where the service manager should send standard error, if anywhere
 */
public record LaunchSpec(
    Path javaExecutable,
    List<String> jvmOptions,
    LaunchTarget target,
    List<String> programArgs,
    Optional<Path> workingDirectory,
    Map<String, String> environment,
    Optional<Path> stdoutLog,
    Optional<Path> stderrLog) {

  /** The flag every sidecar accepts to print one JSON line about itself and exit. */
  public static final String VALIDATE_FLAG = "--validate-service-install";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Copies the collections, sorts the environment and checks every value. */
  public LaunchSpec {
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(target, "target");
    programArgs = List.copyOf(programArgs);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(stdoutLog, "stdoutLog");
    Objects.requireNonNull(stderrLog, "stderrLog");
    for (String name : environment.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "not a portable environment variable name: '" + name + "' (letters, digits and _)");
      }
      Objects.requireNonNull(environment.get(name), "environment value of " + name);
    }
    environment = Collections.unmodifiableMap(new TreeMap<>(environment));
    for (String option : jvmOptions) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException("a JVM option must start with '-': '" + option + "'");
      }
    }
  }

  /** A builder for a spec that runs {@code target} with {@code javaExecutable}. */
  public static Builder builder(Path javaExecutable, LaunchTarget target) {
    return new Builder(javaExecutable, target);
  }

  /** A builder holding this spec's values. */
  public Builder toBuilder() {
    Builder builder = new Builder(javaExecutable, target);
    builder.jvmOptions.addAll(jvmOptions);
    builder.programArgs.addAll(programArgs);
    builder.workingDirectory = workingDirectory;
    builder.environment.putAll(environment);
    builder.stdoutLog = stdoutLog;
    builder.stderrLog = stderrLog;
    return builder;
  }

  /** The full argument vector with this platform's class path separator. */
  public List<String> argv() {
    return argv(File.pathSeparator);
  }

  /** The full argument vector: java, JVM options, target, program arguments. */
  public List<String> argv(String pathSeparator) {
    List<String> argv = new ArrayList<>();
    argv.add(javaExecutable.toString());
    argv.addAll(jvmOptions);
    argv.addAll(target.javaArguments(pathSeparator));
    argv.addAll(programArgs);
    return List.copyOf(argv);
  }

  /** This spec with {@code args} appended to the program arguments. */
  public LaunchSpec withExtraArgs(String... args) {
    Builder builder = toBuilder();
    builder.programArgs.addAll(List.of(args));
    return builder.build();
  }

  /** Builds a {@link LaunchSpec}. */
  public static final class Builder {
    private Path javaExecutable;
    private LaunchTarget target;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> programArgs = new ArrayList<>();
    private Optional<Path> workingDirectory = Optional.empty();
    private final Map<String, String> environment = new TreeMap<>();
    private Optional<Path> stdoutLog = Optional.empty();
    private Optional<Path> stderrLog = Optional.empty();

    private Builder(Path javaExecutable, LaunchTarget target) {
      this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
      this.target = Objects.requireNonNull(target, "target");
    }

    /** Replaces the java binary. */
    public Builder javaExecutable(Path javaExecutable) {
      this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable");
      return this;
    }

    /** Replaces the target. */
    public Builder target(LaunchTarget target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** Appends JVM options. */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    /** Appends JVM options. */
    public Builder jvmOptions(String... options) {
      return jvmOptions(List.of(options));
    }

    /** Appends program arguments. */
    public Builder programArgs(List<String> args) {
      programArgs.addAll(args);
      return this;
    }

    /** Appends program arguments. */
    public Builder programArgs(String... args) {
      return programArgs(List.of(args));
    }

    /** Sets the working directory. */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Optional.of(directory);
      return this;
    }

    /** Adds or replaces one environment variable. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Sets where standard output and standard error go. */
    public Builder logs(Path stdout, Path stderr) {
      this.stdoutLog = Optional.of(stdout);
      this.stderrLog = Optional.of(stderr);
      return this;
    }

    /** Lets the service manager decide where output goes (e.g. the systemd journal). */
    public Builder noLogs() {
      this.stdoutLog = Optional.empty();
      this.stderrLog = Optional.empty();
      return this;
    }

    /** The spec. */
    public LaunchSpec build() {
      return new LaunchSpec(
          javaExecutable,
          jvmOptions,
          target,
          programArgs,
          workingDirectory,
          environment,
          stdoutLog,
          stderrLog);
    }
  }
}
