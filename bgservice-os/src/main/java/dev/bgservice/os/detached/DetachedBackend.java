package dev.bgservice.os.detached;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceBackend;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.host.Step;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.launch.LaunchSpecJson;
import dev.bgservice.os.naming.NamingRules;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * No service manager: the sidecar runs as a detached process, for containers and the demo.
 *
 * <p>{@code install} keeps the launch spec in {@code <directory>/<label>.json}; {@code start}
 * spawns it in a new session ({@code setsid}, or {@code nohup} where there is none) with
 * standard input from the null device and output appended to its log files, so it outlives the
 * process that started it and the terminal it was started from, and records its pid and start
 * time in {@code <directory>/<label>.pid}. Liveness checks compare both, so a reused pid is
 * never mistaken for the sidecar. {@code stop} sends SIGTERM and kills the process if it has
 * not exited within the stop timeout.
 *
 * <p>Nothing restarts a crashed sidecar and nothing starts it at boot: autostart is refused.
 */
public final class DetachedBackend implements ServiceBackend {
  /** How long a spawned sidecar is watched for an immediate crash before start returns. */
  public static final Duration DEFAULT_STARTUP_CHECK = Duration.ofMillis(500);

  private final Path directory;
  private final Duration stopTimeout;
  private final Duration startupCheck;

  /** Keeps its files in {@code directory}; waits {@code stopTimeout} for SIGTERM to work. */
  public DetachedBackend(Path directory, Duration stopTimeout) {
    this(directory, stopTimeout, DEFAULT_STARTUP_CHECK);
  }

  /** As above, watching a new process for {@code startupCheck} for an immediate exit. */
  public DetachedBackend(Path directory, Duration stopTimeout, Duration startupCheck) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    this.startupCheck = Objects.requireNonNull(startupCheck, "startupCheck");
  }

  @Override
  public ServiceManager manager() {
    return ServiceManager.DETACHED;
  }

  @Override
  public Scope scope() {
    return Scope.USER;
  }

  /** The launch spec file of a label. */
  public Path specFile(String label) {
    return directory.resolve(label + ".json");
  }

  /** The pid file of a label. */
  public Path pidFile(String label) {
    return directory.resolve(label + ".pid");
  }

  @Override
  public void checkLabel(String label) {
    NamingRules.checkDetached(label);
  }

  @Override
  public void install(ServiceDefinition definition, boolean startNow, Host host) {
    String label = definition.label();
    checkLabel(label);
    if (definition.autostart()) {
      throw new OsServiceException(
          ErrorCode.UNSUPPORTED,
          "The detached mode has no service manager to start '" + label
              + "' at login or boot; install it without autostart.");
    }
    if (runningProcess(label).isPresent()) {
      stop(label, host);
    }
    host.createDirectories(directory);
    host.write(specFile(label), LaunchSpecJson.write(definition.launch()), StandardCharsets.UTF_8);
    if (startNow) {
      spawn(label, definition.launch(), host);
    }
  }

  @Override
  public void uninstall(String label, Host host) {
    checkLabel(label);
    if (!Files.exists(specFile(label))) {
      throw OsServiceException.notInstalled(label, specFile(label).toString());
    }
    stopProcess(label, host);
    host.delete(pidFile(label));
    host.delete(specFile(label));
    if (isEmptyDirectory(directory)) {
      host.delete(directory);
    }
  }

  @Override
  public void start(String label, Host host) {
    checkLabel(label);
    if (runningProcess(label).isPresent()) {
      return;
    }
    spawn(label, readSpec(label), host);
  }

  @Override
  public void stop(String label, Host host) {
    checkLabel(label);
    if (!Files.exists(specFile(label))) {
      throw OsServiceException.notInstalled(label, specFile(label).toString());
    }
    stopProcess(label, host);
    host.delete(pidFile(label));
  }

  @Override
  public void restart(String label, Host host) {
    stop(label, host);
    // Spawned unconditionally: in a dry run the old process still runs, and start would skip.
    spawn(label, readSpec(label), host);
  }

  @Override
  public InstalledServiceStatus status(String label, Host host) {
    checkLabel(label);
    if (!Files.exists(specFile(label))) {
      return new InstalledServiceStatus(
          label, manager(), scope(), RunState.NOT_INSTALLED, false, OptionalLong.empty(), "");
    }
    Optional<ProcessHandle> process = runningProcess(label);
    if (process.isPresent()) {
      return new InstalledServiceStatus(
          label, manager(), scope(), RunState.RUNNING, false, OptionalLong.of(process.get().pid()), "running");
    }
    String detail = Files.exists(pidFile(label)) ? "not running (its pid file is stale)" : "not running";
    return new InstalledServiceStatus(
        label, manager(), scope(), RunState.STOPPED, false, OptionalLong.empty(), detail);
  }

  @Override
  public boolean isEnabled(String label, Host host) {
    checkLabel(label);
    return false;
  }

  /** The running sidecar of a label, if its pid file names a live process. */
  public Optional<ProcessHandle> runningProcess(String label) {
    return readPidRecord(label).flatMap(PidRecord::liveProcess);
  }

  private void spawn(String label, LaunchSpec spec, Host host) {
    List<String> command = new ArrayList<>(detachPrefix());
    command.addAll(spec.argv());
    Path pidFile = pidFile(label);
    host.record(new Step.SpawnProcess(command, pidFile));
    spec.workingDirectory().ifPresent(host::createDirectories);
    spec.stdoutLog().ifPresent(host::createParentDirectories);
    spec.stderrLog().ifPresent(host::createParentDirectories);
    if (host.isDryRun()) {
      return;
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(spec.environment());
    spec.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.redirectOutput(spec.stdoutLog().map(p -> ProcessBuilder.Redirect.appendTo(p.toFile()))
        .orElse(ProcessBuilder.Redirect.DISCARD));
    builder.redirectError(spec.stderrLog().map(p -> ProcessBuilder.Redirect.appendTo(p.toFile()))
        .orElse(ProcessBuilder.Redirect.DISCARD));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new OsServiceException(
          OsServiceException.COMMAND_FAILED, "Could not start the sidecar '" + label + "': " + e.getMessage(), e);
    }
    host.write(pidFile, PidRecord.of(process.toHandle()).toJson(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor(startupCheck.toMillis(), TimeUnit.MILLISECONDS)) {
        host.delete(pidFile);
        throw new OsServiceException(
            OsServiceException.COMMAND_FAILED,
            "The sidecar '" + label + "' exited at once with status " + process.exitValue()
                + spec.stderrLog().map(p -> "; see " + p).orElse(""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopProcess(String label, Host host) {
    Optional<ProcessHandle> running = runningProcess(label);
    if (running.isEmpty()) {
      return;
    }
    ProcessHandle process = running.get();
    host.record(new Step.StopProcess(process.pid()));
    if (host.isDryRun()) {
      return;
    }
    process.destroy();
    if (!awaitExit(process, stopTimeout)) {
      process.destroyForcibly();
      if (!awaitExit(process, Duration.ofSeconds(10))) {
        throw new OsServiceException(
            ErrorCode.TIMEOUT, "The sidecar '" + label + "' (pid " + process.pid() + ") could not be killed");
      }
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private LaunchSpec readSpec(String label) {
    Path file = specFile(label);
    if (!Files.exists(file)) {
      throw OsServiceException.notInstalled(label, file.toString());
    }
    try {
      return LaunchSpecJson.read(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new OsServiceException(
          ErrorCode.INTERNAL, "Could not read " + file + ": " + e.getMessage() + "; reinstall the service", e);
    }
  }

  private Optional<PidRecord> readPidRecord(String label) {
    Path file = pidFile(label);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(PidRecord.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable pid file names no process we may signal.
      return Optional.empty();
    }
  }

  /**
   * {@code setsid} where it exists (Linux): a new session has no controlling terminal, so
   * closing the terminal that ran {@code bgs} sends it no SIGHUP. Elsewhere on Unix {@code
   * nohup}: a JVM that starts with SIGHUP ignored keeps ignoring it. Windows needs neither.
   */
  static List<String> detachPrefix() {
    if (File.separatorChar == '\\') {
      return List.of();
    }
    for (String tool : List.of("setsid", "nohup")) {
      Optional<Path> found = onPath(tool);
      if (found.isPresent()) {
        return List.of(found.get().toString());
      }
    }
    return List.of();
  }

  private static Optional<Path> onPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
    return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/bin"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static File nullDevice() {
    return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
