package dev.bgservice.os;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.command.CommandRunner;
import dev.bgservice.os.detached.DetachedBackend;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.host.OperationReport;
import dev.bgservice.os.launchd.LaunchdBackend;
import dev.bgservice.os.probe.InstallProbe;
import dev.bgservice.os.probe.ProbeResult;
import dev.bgservice.os.systemd.Linger;
import dev.bgservice.os.systemd.SystemdBackend;
import dev.bgservice.os.systemd.SystemdUnit;
import dev.bgservice.os.windows.ScheduledTaskBackend;
import dev.bgservice.os.windows.WindowsServiceBackend;
import dev.bgservice.platform.Directories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The entry point for installing and controlling the sidecar as an OS service: what the
 * {@code bgs install}, {@code bgs uninstall} and {@code bgs service ...} commands call.
 *
 * <pre>{@code
 * OsServices services = OsServices.builder().build();          // this OS, real commands
 * LaunchSpec launch = LaunchSpecs.forApplication("com.example.Main", "com.example.sync", stateDir);
 * OperationReport report = services.install(
 *     InstallRequest.builder("com.example.sync", launch).autostart(true).dryRun(true).build());
 * System.out.print(report.render());                           // files and commands, nothing done
 * }</pre>
 *
 * <p>Every mutating operation returns an {@link OperationReport} of the files it wrote and the
 * commands it ran; with {@code dryRun} nothing is changed and the report says what would be.
 * All commands go through the configured {@link CommandRunner}.
 *
 * <p>Immutable and safe to share; each call works on its own {@link Host}. Calls for the same
 * label should not overlap: service managers do not serialize them either.
 */
public final class OsServices {
  private final ServiceManager manager;
  private final CommandRunner runner;
  private final InstallProbe probe;
  private final Map<Scope, ServiceBackend> backends;
  private final String userName;

  private OsServices(Builder builder) {
    this.manager = builder.manager;
    this.runner = builder.runner;
    this.probe = builder.probe;
    this.userName = builder.userName;
    Map<Scope, ServiceBackend> map = new EnumMap<>(Scope.class);
    for (Scope scope : Scope.values()) {
      map.put(scope, builder.createBackend(scope));
    }
    this.backends = map;
  }

  /** A builder for this OS's service manager, running real commands, default directories. */
  public static Builder builder() {
    return new Builder();
  }

  /** The manager this instance installs into. */
  public ServiceManager manager() {
    return manager;
  }

  /**
   * The backend for a scope.
   *
   * @throws OsServiceException when the manager has no such scope (detached has no system scope)
   */
  public ServiceBackend backend(Scope scope) {
    ServiceBackend backend = backends.get(Objects.requireNonNull(scope, "scope"));
    if (backend == null) {
      throw new OsServiceException(
          ErrorCode.UNSUPPORTED,
          "The " + manager.name().toLowerCase(java.util.Locale.ROOT) + " mode has no "
              + scope.name().toLowerCase(java.util.Locale.ROOT) + " services; use the other scope.");
    }
    return backend;
  }

  /**
   * Checks the label against the manager's naming rules, probes the sidecar (unless the request
   * says not to), then installs it, and starts it when asked.
   *
   * @throws dev.bgservice.os.naming.InvalidLabelException when the manager cannot use the label
   * @throws OsServiceException when the probe or a command fails
   */
  public OperationReport install(InstallRequest request) {
    ServiceBackend backend = backend(request.scope());
    backend.checkLabel(request.label());
    Host host = host(request.dryRun());
    ServiceDefinition definition = request.definition();
    if (request.probe()) {
      ProbeResult result = probe.probe(request.launch(), request.label());
      host.note(
          "the sidecar answered --validate-service-install: bgservice " + result.bgserviceVersion()
              + ", protocol " + result.protocol() + ", label " + result.label());
    }
    backend.install(definition, request.startNow(), host);
    return host.report("install", request.label());
  }

  /** Stops the service and removes everything install created (not its state directory). */
  public OperationReport uninstall(ServiceTarget target) {
    Host host = host(target.dryRun());
    backend(target.scope()).uninstall(target.label(), host);
    return host.report("uninstall", target.label());
  }

  /** Starts the installed service. */
  public OperationReport start(ServiceTarget target) {
    Host host = host(target.dryRun());
    backend(target.scope()).start(target.label(), host);
    return host.report("start", target.label());
  }

  /** Stops the service. */
  public OperationReport stop(ServiceTarget target) {
    Host host = host(target.dryRun());
    backend(target.scope()).stop(target.label(), host);
    return host.report("stop", target.label());
  }

  /** Restarts the service. */
  public OperationReport restart(ServiceTarget target) {
    Host host = host(target.dryRun());
    backend(target.scope()).restart(target.label(), host);
    return host.report("restart", target.label());
  }

  /** What the service manager says about the service (queries only, dry run or not). */
  public InstalledServiceStatus status(ServiceTarget target) {
    return backend(target.scope()).status(target.label(), host(true));
  }

  /** Whether the service is installed and starts at login or boot. */
  public boolean isEnabled(ServiceTarget target) {
    return backend(target.scope()).isEnabled(target.label(), host(true));
  }

  /**
   * For systemd: advice to enable lingering when it is off for this user, so that user services
   * run without a login (see {@link Linger#EXPLANATION}); empty when it is on, unknown, or the
   * manager is not systemd.
   */
  public Optional<String> lingerAdvice() {
    if (manager != ServiceManager.SYSTEMD) {
      return Optional.empty();
    }
    return Linger.isEnabled(userName, host(true))
        .filter(enabled -> !enabled)
        .map(off -> Linger.advice(userName));
  }

  /** Runs {@code loginctl enable-linger <user>} (systemd only). */
  public OperationReport enableLinger(boolean dryRun) {
    if (manager != ServiceManager.SYSTEMD) {
      throw new OsServiceException(ErrorCode.UNSUPPORTED, "Lingering is a systemd setting; this is " + manager + ".");
    }
    Host host = host(dryRun);
    host.note(Linger.EXPLANATION);
    host.runChecked(Linger.enableCommand(userName));
    return host.report("enable-linger", userName);
  }

  private Host host(boolean dryRun) {
    return dryRun ? Host.dryRun(runner) : Host.live(runner);
  }

  /** Configures an {@link OsServices}; every directory can be redirected. */
  public static final class Builder {
    private ServiceManager manager = ServiceManager.current();
    private CommandRunner runner = CommandRunner.system();
    private InstallProbe probe = new InstallProbe();
    private Path home = Path.of(System.getProperty("user.home"));
    private Map<String, String> environment = System.getenv();
    private String userName = System.getProperty("user.name");
    private Optional<Path> root = Optional.empty();
    private final Map<Scope, Path> systemdDirectories = new EnumMap<>(Scope.class);
    private final Map<Scope, Path> launchdAutostartDirectories = new EnumMap<>(Scope.class);
    private final Map<Scope, Path> launchdManualDirectories = new EnumMap<>(Scope.class);
    private OptionalInt systemdVersion = OptionalInt.empty();
    private Optional<Path> windowsTaskDirectory = Optional.empty();
    private Optional<Path> prunsrv = Optional.empty();
    private Optional<String> windowsUserId = Optional.empty();
    private Optional<Path> detachedDirectory = Optional.empty();
    private Duration detachedStopTimeout = RestartPolicy.defaults().stopTimeout();

    private Builder() {}

    /** The service manager (default: this OS's; {@link ServiceManager#DETACHED} anywhere). */
    public Builder manager(ServiceManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** Runs every service manager command (default: real processes). */
    public Builder commandRunner(CommandRunner runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      return this;
    }

    /** The pre-install probe (default: 10 s timeout). */
    public Builder probe(InstallProbe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /** The home directory default directories derive from (default {@code user.home}). */
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** The environment default directories derive from (default this process's). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The user whose lingering is checked (default {@code user.name}). */
    public Builder userName(String userName) {
      this.userName = Objects.requireNonNull(userName, "userName");
      return this;
    }

    /**
     * Writes every default directory under {@code root} instead of {@code /}, like a packaging
     * {@code DESTDIR}: {@code /etc/systemd/system} becomes {@code <root>/etc/systemd/system}.
     * Explicitly set directories are used as given.
     */
    public Builder root(Path root) {
      this.root = Optional.of(root);
      return this;
    }

    /** Where systemd units of a scope are written. */
    public Builder systemdUnitDirectory(Scope scope, Path directory) {
      systemdDirectories.put(scope, directory);
      return this;
    }

    /** Generates units for this systemd version instead of asking {@code systemctl --version}. */
    public Builder systemdVersion(int version) {
      this.systemdVersion = OptionalInt.of(version);
      return this;
    }

    /**
     * Where launchd plists of a scope are written: {@code autostart} for services that start at
     * login or boot, {@code manual} for the others.
     */
    public Builder launchdDirectories(Scope scope, Path autostart, Path manual) {
      launchdAutostartDirectories.put(scope, autostart);
      launchdManualDirectories.put(scope, manual);
      return this;
    }

    /** Where Scheduled Task XML files are kept. */
    public Builder windowsTaskDirectory(Path directory) {
      this.windowsTaskDirectory = Optional.of(directory);
      return this;
    }

    /** The {@code prunsrv.exe} that runs Windows services. */
    public Builder prunsrv(Path prunsrv) {
      this.prunsrv = Optional.of(prunsrv);
      return this;
    }

    /** The Windows account of user tasks (default {@code %USERDOMAIN%\%USERNAME%}). */
    public Builder windowsUserId(String userId) {
      this.windowsUserId = Optional.of(userId);
      return this;
    }

    /** Where the detached mode keeps its spec and pid files. */
    public Builder detachedDirectory(Path directory) {
      this.detachedDirectory = Optional.of(directory);
      return this;
    }

    /** How long the detached mode waits after SIGTERM before killing (default 30 s). */
    public Builder detachedStopTimeout(Duration timeout) {
      this.detachedStopTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The configured instance. */
    public OsServices build() {
      return new OsServices(this);
    }

    private ServiceBackend createBackend(Scope scope) {
      return switch (manager) {
        case SYSTEMD -> new SystemdBackend(
            scope,
            systemdDirectories.getOrDefault(scope, rooted(SystemdUnit.defaultUnitDirectory(scope, environment, home))),
            systemdVersion,
            userName);
        case LAUNCHD -> new LaunchdBackend(
            scope,
            launchdAutostartDirectories.getOrDefault(scope, rooted(LaunchdBackend.defaultAutostartDirectory(scope, home))),
            launchdManualDirectories.getOrDefault(scope, rooted(LaunchdBackend.defaultManualDirectory(scope, home))));
        case WINDOWS -> scope == Scope.USER
            ? new ScheduledTaskBackend(
                windowsTaskDirectory.orElseGet(() -> rooted(localAppData().resolve("bgservice").resolve("tasks"))),
                windowsUserId.orElseGet(this::defaultWindowsUserId))
            : new WindowsServiceBackend(
                prunsrv.orElseGet(() -> rooted(programData().resolve("bgservice").resolve("prunsrv.exe"))));
        case DETACHED -> scope == Scope.USER
            ? new DetachedBackend(
                detachedDirectory.orElseGet(() -> rooted(Directories.current().stateRoot().resolve("detached"))),
                detachedStopTimeout)
            : null;
      };
    }

    private Path rooted(Path path) {
      if (root.isEmpty()) {
        return path;
      }
      Path absolute = path.toAbsolutePath();
      return root.get().resolve(absolute.getRoot().relativize(absolute).toString());
    }

    private Path localAppData() {
      String local = environment.get("LOCALAPPDATA");
      return local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
    }

    private Path programData() {
      String data = environment.get("ProgramData");
      return data != null && !data.isBlank() ? Path.of(data) : home.resolve("AppData").resolve("Local");
    }

    private String defaultWindowsUserId() {
      String domain = environment.getOrDefault("USERDOMAIN", "");
      String user = environment.getOrDefault("USERNAME", userName);
      return domain.isBlank() ? user : domain + "\\" + user;
    }
  }
}
