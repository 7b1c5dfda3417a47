package dev.bgservice.status;

import dev.bgservice.platform.CommandResult;
import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.service.ServiceLabel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that this machine is set up to run the service, and says what to fix. Each check gives
 * a {@link SetupCheck} (pass, fail or unknown, with a stable code, a message and a fix); {@link
 * #validate()} turns them into a {@link SetupValidationReport} whose issues are the failed
 * checks, which is {@code ok} exactly when no check failed with severity error.
 *
 * <p>The checks, in the order they run, and how serious their failures are:
 *
 * <ul>
 *   <li>{@value #CODE_SERVICE_LABEL}: the label follows {@link ServiceLabel#validate}. Error:
 *       nothing can be named after a bad label.
 *   <li>{@value #CODE_JAVA_VERSION}: the Java runtime is 17 or newer: the given {@code java}
 *       executable (asked with {@code -version}) or else this JVM. Error.
 *   <li>{@value #CODE_STATE_DIR}: the state directory is writable (a probe file is really
 *       created and deleted), or, when it does not exist yet, its nearest existing parent is, so
 *       it can be created. Error: without it the desired state cannot be kept.
 *   <li>{@value #CODE_RUNTIME_DIR}: the directory of the socket exists, is owned by the user
 *       and gives no permission to group or others. Error: elsewhere the socket cannot be made,
 *       or another user could reach or replace it.
 *   <li>{@value #CODE_SOCKET_PATH}: the socket path fits the platform's limit in bytes. Error:
 *       the sidecar could not bind it.
 *   <li>{@value #CODE_SERVICE_MANAGER}: the platform's service manager tool ({@code
 *       systemctl}, {@code launchctl}, {@code sc}) is there. Warning: the sidecar still runs,
 *       detached, but does not come back after a reboot.
 *   <li>{@value #CODE_USER_SERVICE_MANAGER} (Linux): the user's systemd instance answers.
 *       Warning, for the same reason.
 *   <li>{@value #CODE_USER_LINGERING} (Linux): lingering is on for the user. Warning: without it
 *       the service starts only at the user's login and stops at logout.
 *   <li>{@value #CODE_SERVICE_INSTALLED} and {@value #CODE_SERVICE_ENABLED}: the sidecar is
 *       installed as an OS service and enabled to start by itself. Warnings: without them it
 *       runs detached or must be started by the app.
 *   <li>{@value #CODE_SIDECAR_REACHABLE}: the sidecar answers on its socket. Warning: the app
 *       or {@code bgs} can start it.
 *   <li>then every additional check given to the builder, in order.
 * </ul>
 *
 * <p>The OS-service checks (service manager to sidecar reachable) run only in {@link
 * LifecycleMode#DESKTOP_OS_SERVICE}. A check whose input was not given reports unknown, except
 * the runtime directory and socket path checks, which are left out in-process when not given.
 * An unknown check raises no issue: only what is known to be wrong does. A probe of another
 * module that throws gives unknown with its message.
 *
 * <p>Checks ask the real system every time {@link #checks()} is called; the validator itself
 * is immutable and may be reused.
 */
public final class SetupValidator {

  /** Code of the service label check. */
  public static final String CODE_SERVICE_LABEL = "service_label";
  /** Code of the Java version check. */
  public static final String CODE_JAVA_VERSION = "java_version";
  /** Code of the state directory check. */
  public static final String CODE_STATE_DIR = "state_dir";
  /** Code of the runtime (socket) directory check. */
  public static final String CODE_RUNTIME_DIR = "runtime_dir";
  /** Code of the socket path length check. */
  public static final String CODE_SOCKET_PATH = "socket_path";
  /** Code of the service manager check. */
  public static final String CODE_SERVICE_MANAGER = "service_manager";
  /** Code of the systemd user instance check (Linux). */
  public static final String CODE_USER_SERVICE_MANAGER = "user_service_manager";
  /** Code of the lingering check (Linux). */
  public static final String CODE_USER_LINGERING = "user_lingering";
  /** Code of the "installed as an OS service" check. */
  public static final String CODE_SERVICE_INSTALLED = "service_installed";
  /** Code of the "OS service enabled" check. */
  public static final String CODE_SERVICE_ENABLED = "service_enabled";
  /** Code of the "sidecar answers" check. */
  public static final String CODE_SIDECAR_REACHABLE = "sidecar_reachable";

  /** The oldest Java feature release the product runs on. */
  public static final int MINIMUM_JAVA_FEATURE = 17;

  /** How long {@code java -version} may take: a cold JVM start on a busy machine. */
  private static final Duration JAVA_VERSION_TIMEOUT = Duration.ofSeconds(20);

  private static final Pattern JAVA_VERSION = Pattern.compile("version \"([^\"]+)\"");

  private static final Pattern JAVA_FEATURE = Pattern.compile("^(?:1\\.(\\d+)|(\\d+))");

  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final LifecycleMode mode;
  private final SystemFacts facts;
  private final String user;
  private final Optional<String> label;
  private final Optional<Path> javaExecutable;
  private final Optional<Path> stateDirectory;
  private final Optional<Path> runtimeDirectory;
  private final Optional<Path> socketPath;
  private final int socketPathLimit;
  private final Optional<ServiceInstallationProbe> installation;
  private final Optional<SidecarProbe> sidecar;
  private final Map<String, Supplier<SetupCheck>> additionalChecks;

  private SetupValidator(Builder b) {
    this.mode = b.mode;
    this.facts = b.facts;
    this.user = b.user;
    this.label = b.label;
    this.javaExecutable = b.javaExecutable;
    this.stateDirectory = b.stateDirectory;
    this.runtimeDirectory = b.runtimeDirectory;
    this.socketPath = b.socketPath;
    this.socketPathLimit = b.socketPathLimit.orElse(defaultSocketPathLimit(b.facts.os()));
    this.installation = b.installation;
    this.sidecar = b.sidecar;
    this.additionalChecks = new LinkedHashMap<>(b.additionalChecks);
  }

  /** A builder for a validator of a service run in {@code mode}. */
  public static Builder builder(LifecycleMode mode) {
    return new Builder(mode);
  }

  /**
   * The longest Unix domain socket path, in bytes, that {@code os} accepts: the size of {@code
   * sun_path} less its terminating zero (Linux and Windows 107, macOS and other BSD-like
   * systems 103).
   */
  public static int defaultSocketPathLimit(OperatingSystem os) {
    return switch (os) {
      case LINUX, WINDOWS -> 107;
      case MACOS, OTHER -> 103;
    };
  }

  /** Runs every check and returns the report: the A.6 fields plus the checks. */
  public SetupValidationReport validate() {
    return SetupValidationReport.fromChecks(facts.os().wireName(), checks());
  }

  /** Runs every check that applies, in the order documented on this class. */
  public List<SetupCheck> checks() {
    List<SetupCheck> checks = new ArrayList<>();
    checks.add(checkLabel());
    checks.add(checkJava());
    checks.add(checkStateDirectory());
    boolean osService = mode == LifecycleMode.DESKTOP_OS_SERVICE;
    if (runtimeDirectory.isPresent() || osService) {
      checks.add(checkRuntimeDirectory());
    }
    if (socketPath.isPresent() || osService) {
      checks.add(checkSocketPath());
    }
    if (osService) {
      Observation manager = facts.serviceManagerPresent();
      checks.add(checkServiceManager(manager));
      if (facts.os() == OperatingSystem.LINUX) {
        checks.add(checkUserServiceManager(manager));
        checks.add(checkLingering());
      }
      Optional<Boolean> installed = askInstalled(checks);
      checks.add(checkEnabled(installed));
      checks.add(checkSidecar());
    }
    additionalChecks.forEach((code, check) -> checks.add(runAdditional(code, check)));
    return checks;
  }

  // ---- label, Java ----

  private SetupCheck checkLabel() {
    if (label.isEmpty()) {
      return SetupCheck.unknown(CODE_SERVICE_LABEL, "No service label was given to check.");
    }
    try {
      ServiceLabel.validate(label.get());
      return SetupCheck.pass(CODE_SERVICE_LABEL, "The service label '" + label.get() + "' is valid.");
    } catch (IllegalArgumentException e) {
      return SetupCheck.fail(CODE_SERVICE_LABEL, Severity.ERROR,
          "The service label is not valid: " + e.getMessage() + ".",
          "Choose a non-empty label without '/', '\\', '..' or control characters.");
    }
  }

  private SetupCheck checkJava() {
    String fix = "Run the service with Java " + MINIMUM_JAVA_FEATURE
        + " or newer (install a newer JDK or point JAVA_HOME at one).";
    if (javaExecutable.isEmpty()) {
      Runtime.Version version = Runtime.version();
      return judgeJava("This JVM is Java " + version, version.feature(), fix);
    }
    Path java = javaExecutable.get();
    CommandResult result =
        facts.commands().run(JAVA_VERSION_TIMEOUT, List.of(java.toString(), "-version"));
    switch (result.outcome()) {
      case NOT_AVAILABLE:
        return SetupCheck.fail(CODE_JAVA_VERSION, Severity.ERROR,
            "The Java runtime " + java + " does not exist or is not executable.", fix);
      case EXITED:
        break;
      default:
        return SetupCheck.unknown(CODE_JAVA_VERSION,
            "Could not ask " + java + " for its version: " + result.describe() + ".");
    }
    // `java -version` prints to standard error; accept standard output too.
    Matcher m = JAVA_VERSION.matcher(result.stderr() + "\n" + result.stdout());
    OptionalInt feature = m.find() ? javaFeature(m.group(1)) : OptionalInt.empty();
    if (!result.succeeded() || feature.isEmpty()) {
      return SetupCheck.unknown(CODE_JAVA_VERSION,
          "Could not read the version of " + java + ": " + result.describe() + ".");
    }
    return judgeJava(java + " is Java " + m.group(1), feature.getAsInt(), fix);
  }

  private static SetupCheck judgeJava(String found, int feature, String fix) {
    if (feature >= MINIMUM_JAVA_FEATURE) {
      return SetupCheck.pass(CODE_JAVA_VERSION, found + ".");
    }
    return SetupCheck.fail(CODE_JAVA_VERSION, Severity.ERROR,
        found + ", older than the Java " + MINIMUM_JAVA_FEATURE + " the service needs.", fix);
  }

  /** The feature release number of a {@code java -version} string, if it can be read. */
  static OptionalInt javaFeature(String version) {
    // "1.8.0_392" is Java 8; from 9 on the feature number comes first: "17.0.15", "25".
    Matcher m = JAVA_FEATURE.matcher(version);
    if (!m.find()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  // ---- files ----

  private SetupCheck checkStateDirectory() {
    if (stateDirectory.isEmpty()) {
      return SetupCheck.unknown(CODE_STATE_DIR, "No state directory was given to check.");
    }
    Path dir = stateDirectory.get().toAbsolutePath();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        return SetupCheck.fail(CODE_STATE_DIR, Severity.ERROR,
            "The state directory " + dir + " is not a directory.",
            "Remove or rename " + dir + ", or choose another state directory.");
      }
      return probeWrite(dir)
          .map(why -> SetupCheck.fail(CODE_STATE_DIR, Severity.ERROR,
              "Cannot write to the state directory " + dir + " (" + why + ").",
              "Make " + dir + " writable for " + user + " (e.g. `chmod u+rwx " + quoted(dir)
                  + "`), or choose another state directory."))
          .orElseGet(() -> SetupCheck.pass(CODE_STATE_DIR,
              "The state directory " + dir + " is writable."));
    }
    Path parent = dir.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent)) {
      return SetupCheck.fail(CODE_STATE_DIR, Severity.ERROR,
          "The state directory " + dir + " cannot be created: no parent directory exists.",
          "Choose a state directory inside an existing, writable directory.");
    }
    Path existing = parent;
    return probeWrite(existing)
        .map(why -> SetupCheck.fail(CODE_STATE_DIR, Severity.ERROR,
            "The state directory " + dir + " does not exist and cannot be created, because "
                + existing + " is not writable (" + why + ").",
            "Create " + dir + " as " + user + ", or choose another state directory."))
        .orElseGet(() -> SetupCheck.pass(CODE_STATE_DIR,
            "The state directory " + dir + " does not exist yet and can be created."));
  }

  /** Creates and deletes a file in {@code dir}; empty if that worked, else why it did not. */
  private static Optional<String> probeWrite(Path dir) {
    Path probe = null;
    try {
      probe = Files.createTempFile(dir, ".bgservice-write-probe-", ".tmp");
      Files.write(probe, "probe".getBytes(StandardCharsets.US_ASCII));
      return Optional.empty();
    } catch (AccessDeniedException e) {
      return Optional.of("permission denied");
    } catch (FileSystemException e) {
      return Optional.of(e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
    } catch (IOException | RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException ignored) {
          // A leftover hidden probe file is harmless; the answer is already known.
        }
      }
    }
  }

  private SetupCheck checkRuntimeDirectory() {
    if (runtimeDirectory.isEmpty()) {
      return SetupCheck.unknown(CODE_RUNTIME_DIR, "No runtime directory was given to check.");
    }
    Path dir = runtimeDirectory.get().toAbsolutePath();
    if (!Files.exists(dir)) {
      return SetupCheck.fail(CODE_RUNTIME_DIR, Severity.ERROR,
          "The runtime directory " + dir + " does not exist.",
          "Create it with `mkdir -m 700 " + quoted(dir)
              + "`, or give the socket a path in a directory that exists.");
    }
    if (!Files.isDirectory(dir)) {
      return SetupCheck.fail(CODE_RUNTIME_DIR, Severity.ERROR,
          "The runtime directory " + dir + " is not a directory.",
          "Give the socket a path in a directory.");
    }
    UserPrincipal owner;
    UserPrincipal me;
    Set<PosixFilePermission> permissions;
    try {
      owner = Files.getOwner(dir);
      me = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      permissions = Files.getPosixFilePermissions(dir);
    } catch (UnsupportedOperationException e) {
      return SetupCheck.unknown(CODE_RUNTIME_DIR,
          "Cannot read the owner and permissions of " + dir + " on this file system.");
    } catch (IOException e) {
      return SetupCheck.unknown(CODE_RUNTIME_DIR,
          "Cannot read the owner and permissions of " + dir + ": " + e.getMessage() + ".");
    }
    if (!owner.equals(me)) {
      return SetupCheck.fail(CODE_RUNTIME_DIR, Severity.ERROR,
          "The runtime directory " + dir + " belongs to " + owner.getName() + ", not to " + user
              + ".",
          "Give the socket a path in a directory owned by " + user + " (e.g. $XDG_RUNTIME_DIR).");
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(permissions);
    open.retainAll(GROUP_AND_OTHERS);
    if (!open.isEmpty()) {
      return SetupCheck.fail(CODE_RUNTIME_DIR, Severity.ERROR,
          "The runtime directory " + dir + " is not private: its permissions are "
              + PosixFilePermissions.toString(permissions) + ".",
          "Run `chmod 700 " + quoted(dir) + "`.");
    }
    return SetupCheck.pass(CODE_RUNTIME_DIR,
        "The runtime directory " + dir + " belongs to " + user + " and is private.");
  }

  private SetupCheck checkSocketPath() {
    if (socketPath.isEmpty()) {
      return SetupCheck.unknown(CODE_SOCKET_PATH, "No socket path was given to check.");
    }
    String path = socketPath.get().toString();
    int bytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > socketPathLimit) {
      return SetupCheck.fail(CODE_SOCKET_PATH, Severity.ERROR,
          "The socket path " + path + " is " + bytes + " bytes long, more than the "
              + socketPathLimit + " bytes " + facts.os().wireName() + " allows.",
          "Use a shorter service label or an explicit, shorter socket path.");
    }
    return SetupCheck.pass(CODE_SOCKET_PATH,
        "The socket path " + path + " uses " + bytes + " of " + socketPathLimit + " bytes.");
  }

  // ---- OS service ----

  private SetupCheck checkServiceManager(Observation manager) {
    if (manager.isYes()) {
      return SetupCheck.pass(CODE_SERVICE_MANAGER, capitalized(manager.detail()) + ".");
    }
    String tool = facts.serviceManagerTool().orElse("a service manager");
    return SetupCheck.fail(CODE_SERVICE_MANAGER, Severity.WARNING,
        "No service manager is available (" + manager.detail() + "), so the sidecar runs "
            + "detached: it keeps running after the app closes, but nothing restarts it if it "
            + "dies and it does not come back after a reboot.",
        facts.serviceManagerTool().isPresent()
            ? "Install " + tool + " (run on a system that uses it) to let the sidecar run as an "
                + "OS service, or accept the detached mode."
            : "Accept the detached mode on this platform.");
  }

  private SetupCheck checkUserServiceManager(Observation manager) {
    if (!manager.isYes()) {
      return SetupCheck.unknown(CODE_USER_SERVICE_MANAGER,
          "Not checked: " + manager.detail() + ".");
    }
    Observation running = facts.userServiceManagerRunning();
    if (running.isYes()) {
      return SetupCheck.pass(CODE_USER_SERVICE_MANAGER, capitalized(running.detail()) + ".");
    }
    if (running.isUnknown()) {
      return SetupCheck.unknown(CODE_USER_SERVICE_MANAGER,
          "Could not tell whether the systemd user instance runs: " + running.detail() + ".");
    }
    return SetupCheck.fail(CODE_USER_SERVICE_MANAGER, Severity.WARNING,
        "The systemd user instance is not usable (" + running.detail() + "), so the sidecar "
            + "cannot run as a user service and runs detached.",
        "Log in through a session that starts `systemd --user` (or run `loginctl enable-linger "
            + user + "`), and make sure XDG_RUNTIME_DIR is set.");
  }

  private SetupCheck checkLingering() {
    Observation lingering = facts.lingering(user);
    if (lingering.isYes()) {
      return SetupCheck.pass(CODE_USER_LINGERING, capitalized(lingering.detail()) + ".");
    }
    if (lingering.isUnknown()) {
      return SetupCheck.unknown(CODE_USER_LINGERING,
          "Could not tell whether lingering is on for " + user + ": " + lingering.detail() + ".");
    }
    return SetupCheck.fail(CODE_USER_LINGERING, Severity.WARNING,
        capitalized(lingering.detail()) + ": the service starts only when " + user
            + " logs in and stops at logout.",
        "Run `loginctl enable-linger " + user + "` so the service starts at boot without a login.");
  }

  /** Adds the installed check and returns the answer, for the enabled check. */
  private Optional<Boolean> askInstalled(List<SetupCheck> checks) {
    if (installation.isEmpty()) {
      checks.add(SetupCheck.unknown(CODE_SERVICE_INSTALLED,
          "Not checked: no way to ask the OS service manager was given."));
      return Optional.empty();
    }
    Answer installed = ask(() -> installation.get().installed());
    if (installed.value.isEmpty()) {
      checks.add(SetupCheck.unknown(CODE_SERVICE_INSTALLED,
          "Could not tell whether the sidecar is installed as an OS service" + installed.why()));
    } else if (installed.value.get()) {
      checks.add(SetupCheck.pass(CODE_SERVICE_INSTALLED,
          "The sidecar is installed as an OS service."));
    } else {
      checks.add(SetupCheck.fail(CODE_SERVICE_INSTALLED, Severity.WARNING,
          "The sidecar is not installed as an OS service, so it runs detached and does not "
              + "come back after a reboot.",
          "Run `bgs install --autostart` to install it as an OS service."));
    }
    return installed.value;
  }

  private SetupCheck checkEnabled(Optional<Boolean> installed) {
    if (installation.isEmpty()) {
      return SetupCheck.unknown(CODE_SERVICE_ENABLED,
          "Not checked: no way to ask the OS service manager was given.");
    }
    if (installed.isPresent() && !installed.get()) {
      return SetupCheck.unknown(CODE_SERVICE_ENABLED,
          "Not checked: the sidecar is not installed as an OS service.");
    }
    Answer enabled = ask(() -> installation.get().enabled());
    if (enabled.value.isEmpty()) {
      return SetupCheck.unknown(CODE_SERVICE_ENABLED,
          "Could not tell whether the OS service is enabled" + enabled.why());
    }
    if (enabled.value.get()) {
      return SetupCheck.pass(CODE_SERVICE_ENABLED,
          "The OS service is enabled to start by itself.");
    }
    return SetupCheck.fail(CODE_SERVICE_ENABLED, Severity.WARNING,
        "The OS service is installed but not enabled, so it does not start by itself after a "
            + "reboot.",
        "Run `bgs install --autostart` to enable it.");
  }

  private SetupCheck checkSidecar() {
    if (sidecar.isEmpty()) {
      return SetupCheck.unknown(CODE_SIDECAR_REACHABLE,
          "Not checked: no way to reach the sidecar was given.");
    }
    Answer reachable = ask(() -> sidecar.get().reachable());
    String where = socketPath.map(p -> " on " + p).orElse("");
    if (reachable.value.isEmpty()) {
      return SetupCheck.unknown(CODE_SIDECAR_REACHABLE,
          "Could not tell whether the sidecar answers" + where + reachable.why());
    }
    if (reachable.value.get()) {
      return SetupCheck.pass(CODE_SIDECAR_REACHABLE, "The sidecar answers" + where + ".");
    }
    return SetupCheck.fail(CODE_SIDECAR_REACHABLE, Severity.WARNING,
        "The sidecar does not answer" + where + ".",
        "Start it (`bgs service start`, or start the service from the app) and check its log.");
  }

  private static SetupCheck runAdditional(String code, Supplier<SetupCheck> check) {
    try {
      return Objects.requireNonNull(check.get(), "the check returned null");
    } catch (RuntimeException e) {
      return SetupCheck.unknown(code, "The check could not run: " + e.getMessage() + ".");
    }
  }

  /** The answer of another module's probe; a throwing probe counts as "could not tell". */
  private record Answer(Optional<Boolean> value, Optional<String> failure) {
    String why() {
      return failure.map(f -> ": " + f + ".").orElse(".");
    }
  }

  private static Answer ask(Supplier<Optional<Boolean>> probe) {
    try {
      Optional<Boolean> value = probe.get();
      return new Answer(value == null ? Optional.empty() : value, Optional.empty());
    } catch (RuntimeException e) {
      return new Answer(Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
    }
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String quoted(Path path) {
    return "'" + path.toString().replace("'", "'\\''") + "'";
  }

  /** Collects the inputs of a {@link SetupValidator}; every input is optional. */
  public static final class Builder {
    private final LifecycleMode mode;
    private SystemFacts facts = SystemFacts.current();
    private String user = System.getProperty("user.name", "");
    private Optional<String> label = Optional.empty();
    private Optional<Path> javaExecutable = Optional.empty();
    private Optional<Path> stateDirectory = Optional.empty();
    private Optional<Path> runtimeDirectory = Optional.empty();
    private Optional<Path> socketPath = Optional.empty();
    private Optional<Integer> socketPathLimit = Optional.empty();
    private Optional<ServiceInstallationProbe> installation = Optional.empty();
    private Optional<SidecarProbe> sidecar = Optional.empty();
    private final Map<String, Supplier<SetupCheck>> additionalChecks = new LinkedHashMap<>();

    private Builder(LifecycleMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Where the system facts come from; default {@link SystemFacts#current()}. */
    public Builder facts(SystemFacts facts) {
      this.facts = Objects.requireNonNull(facts, "facts");
      return this;
    }

    /**
     * The user who runs the service: the owner the runtime directory must have and whose
     * lingering is checked. Default: this process's user ({@code user.name}).
     */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user");
      if (user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank");
      }
      this.user = user;
      return this;
    }

    /** The service label to check. */
    public Builder label(String label) {
      this.label = Optional.of(Objects.requireNonNull(label, "label"));
      return this;
    }

    /**
     * The {@code java} executable that will run the sidecar, asked for its version. Default:
     * the version of this JVM is checked.
     */
    public Builder javaExecutable(Path java) {
      this.javaExecutable = Optional.of(Objects.requireNonNull(java, "java"));
      return this;
    }

    /** The state directory, which must be writable or creatable. */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Optional.of(Objects.requireNonNull(dir, "dir"));
      return this;
    }

    /** The directory that holds the socket, which must exist and be private to the user. */
    public Builder runtimeDirectory(Path dir) {
      this.runtimeDirectory = Optional.of(Objects.requireNonNull(dir, "dir"));
      return this;
    }

    /** The socket path, checked against {@link #defaultSocketPathLimit} of the platform. */
    public Builder socketPath(Path path) {
      this.socketPath = Optional.of(Objects.requireNonNull(path, "path"));
      return this;
    }

    /** The socket path, checked against {@code maxBytes} (UTF-8, without the final zero). */
    public Builder socketPath(Path path, int maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
      }
      socketPath(path);
      this.socketPathLimit = Optional.of(maxBytes);
      return this;
    }

    /** How to ask whether the sidecar is installed and enabled as an OS service. */
    public Builder installation(ServiceInstallationProbe probe) {
      this.installation = Optional.of(Objects.requireNonNull(probe, "probe"));
      return this;
    }

    /** How to ask whether the sidecar answers on its socket. */
    public Builder sidecar(SidecarProbe probe) {
      this.sidecar = Optional.of(Objects.requireNonNull(probe, "probe"));
      return this;
    }

    /**
     * A check of another component (e.g. the desired-state store reporting a corrupt file),
     * run after the built-in ones. If it throws, it is reported as unknown under {@code code}.
     *
     * @throws IllegalArgumentException if a check with this code was already added
     */
    public Builder additionalCheck(String code, Supplier<SetupCheck> check) {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(check, "check");
      if (additionalChecks.putIfAbsent(code, check) != null) {
        throw new IllegalArgumentException("a check with code " + code + " was already added");
      }
      return this;
    }

    /** The validator. */
    public SetupValidator build() {
      return new SetupValidator(this);
    }
  }
}
