package dev.bgservice.os.launchd;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceBackend;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.naming.NamingRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A launchd job: a per-user agent in the {@code gui/<uid>} domain (user scope) or a daemon in
 * the {@code system} domain (system scope), controlled with {@code launchctl bootstrap},
 * {@code bootout}, {@code kickstart} and {@code print}.
 *
 * <p>A service that starts automatically has its plist in the directory launchd loads at login
 * or boot ({@code ~/Library/LaunchAgents}, {@code /Library/LaunchDaemons}). One that does not
 * keeps it in a separate directory that launchd never scans, and {@code start} bootstraps it
 * from there: because {@code KeepAlive} implies {@code RunAtLoad}, any plist launchd loads is
 * started.
 */
public final class LaunchdBackend implements ServiceBackend {
  private static final Pattern STATE = Pattern.compile("^\\s*state = (\\S+)", Pattern.MULTILINE);
  private static final Pattern PID = Pattern.compile("^\\s*pid = (\\d+)", Pattern.MULTILINE);
  private static final Pattern LAST_EXIT =
      Pattern.compile("^\\s*last exit code = (-?\\d+)", Pattern.MULTILINE);

  private final Scope scope;
  private final Path autostartDirectory;
  private final Path manualDirectory;

  /**
   * A backend for {@code scope}.
   *
   * @param autostartDirectory where launchd looks at login or boot ({@code
   *     ~/Library/LaunchAgents} or {@code /Library/LaunchDaemons}); redirectable for tests
   * @param manualDirectory where plists of services without autostart are kept
   */
  public LaunchdBackend(Scope scope, Path autostartDirectory, Path manualDirectory) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.autostartDirectory = Objects.requireNonNull(autostartDirectory, "autostartDirectory");
    this.manualDirectory = Objects.requireNonNull(manualDirectory, "manualDirectory");
    if (autostartDirectory.equals(manualDirectory)) {
      throw new IllegalArgumentException("the autostart and manual plist directories must differ");
    }
  }

  /** The default directory launchd loads at login (user) or boot (system). */
  public static Path defaultAutostartDirectory(Scope scope, Path home) {
    return scope == Scope.USER
        ? home.resolve("Library").resolve("LaunchAgents")
        : Path.of("/Library/LaunchDaemons");
  }

  /** The default directory for plists of services started only on request. */
  public static Path defaultManualDirectory(Scope scope, Path home) {
    return scope == Scope.USER
        ? home.resolve("Library").resolve("Application Support").resolve("bgservice").resolve("launchd")
        : Path.of("/Library/Application Support/bgservice/launchd");
  }

  @Override
  public ServiceManager manager() {
    return ServiceManager.LAUNCHD;
  }

  @Override
  public Scope scope() {
    return scope;
  }

  /** Where the plist of a label goes for the given autostart setting. */
  public Path plistFile(String label, boolean autostart) {
    return (autostart ? autostartDirectory : manualDirectory).resolve(label + ".plist");
  }

  @Override
  public void checkLabel(String label) {
    NamingRules.checkLaunchd(label);
  }

  @Override
  public void install(ServiceDefinition definition, boolean startNow, Host host) {
    String label = definition.label();
    checkLabel(label);
    String content = LaunchdPlist.render(definition, scope);
    String domain = domain(host);
    if (isLoaded(domain, label, host)) {
      host.runChecked(launchctl("bootout", domain + "/" + label));
    }
    // A reinstall may move the plist between the two directories.
    host.delete(plistFile(label, !definition.autostart()));
    definition.launch().workingDirectory().ifPresent(host::createDirectories);
    definition.launch().stdoutLog().ifPresent(host::createParentDirectories);
    definition.launch().stderrLog().ifPresent(host::createParentDirectories);
    Path plist = plistFile(label, definition.autostart());
    host.write(plist, content, StandardCharsets.UTF_8);
    if (startNow) {
      host.runChecked(launchctl("bootstrap", domain, plist.toString()));
      host.runChecked(launchctl("kickstart", domain + "/" + label));
    } else if (definition.autostart()) {
      host.note("launchd loads and starts '" + label + "' at the next " + (scope == Scope.USER ? "login" : "boot"));
    }
  }

  @Override
  public void uninstall(String label, Host host) {
    checkLabel(label);
    Path plist = installedPlist(label).orElseThrow(() -> notInstalled(label));
    String domain = domain(host);
    if (isLoaded(domain, label, host)) {
      host.runChecked(launchctl("bootout", domain + "/" + label));
    }
    host.delete(plist);
  }

  @Override
  public void start(String label, Host host) {
    checkLabel(label);
    Path plist = installedPlist(label).orElseThrow(() -> notInstalled(label));
    String domain = domain(host);
    if (!isLoaded(domain, label, host)) {
      host.runChecked(launchctl("bootstrap", domain, plist.toString()));
    }
    // Without -k, kickstart leaves a running job alone.
    host.runChecked(launchctl("kickstart", domain + "/" + label));
  }

  @Override
  public void stop(String label, Host host) {
    checkLabel(label);
    installedPlist(label).orElseThrow(() -> notInstalled(label));
    String domain = domain(host);
    // Unloading is the only stop launchd does not undo: KeepAlive would restart a job killed
    // with a non-zero exit status. The plist stays, so the next login (or start) loads it.
    if (isLoaded(domain, label, host)) {
      host.runChecked(launchctl("bootout", domain + "/" + label));
    }
  }

  @Override
  public void restart(String label, Host host) {
    checkLabel(label);
    Path plist = installedPlist(label).orElseThrow(() -> notInstalled(label));
    String domain = domain(host);
    if (isLoaded(domain, label, host)) {
      host.runChecked(launchctl("kickstart", "-k", domain + "/" + label));
    } else {
      host.runChecked(launchctl("bootstrap", domain, plist.toString()));
      host.runChecked(launchctl("kickstart", domain + "/" + label));
    }
  }

  @Override
  public InstalledServiceStatus status(String label, Host host) {
    checkLabel(label);
    Optional<Path> plist = installedPlist(label);
    if (plist.isEmpty()) {
      return new InstalledServiceStatus(
          label, manager(), scope, RunState.NOT_INSTALLED, false, OptionalLong.empty(), "");
    }
    boolean enabled = plist.get().startsWith(autostartDirectory);
    CommandResult result = host.run(launchctlQuery("print", domain(host) + "/" + label));
    if (!result.succeeded()) {
      return new InstalledServiceStatus(
          label, manager(), scope, RunState.STOPPED, enabled, OptionalLong.empty(), "not loaded");
    }
    String output = result.stdout();
    String state = find(STATE, output).orElse("");
    OptionalLong pid = find(PID, output).map(p -> OptionalLong.of(Long.parseLong(p))).orElse(OptionalLong.empty());
    Optional<String> lastExit = find(LAST_EXIT, output);
    RunState runState;
    if (state.equals("running")) {
      runState = RunState.RUNNING;
    } else if (lastExit.isPresent() && !lastExit.get().equals("0")) {
      runState = RunState.FAILED;
    } else if (state.isEmpty()) {
      runState = RunState.UNKNOWN;
    } else {
      runState = RunState.STOPPED;
    }
    String detail = state.isEmpty() ? "loaded" : state + lastExit.map(e -> ", last exit code " + e).orElse("");
    return new InstalledServiceStatus(label, manager(), scope, runState, enabled, pid, detail);
  }

  @Override
  public boolean isEnabled(String label, Host host) {
    checkLabel(label);
    return Files.exists(plistFile(label, true));
  }

  private Optional<Path> installedPlist(String label) {
    for (boolean autostart : new boolean[] {true, false}) {
      Path plist = plistFile(label, autostart);
      if (Files.exists(plist)) {
        return Optional.of(plist);
      }
    }
    return Optional.empty();
  }

  private OsServiceException notInstalled(String label) {
    return OsServiceException.notInstalled(
        label, plistFile(label, true) + " and " + plistFile(label, false));
  }

  private boolean isLoaded(String domain, String label, Host host) {
    return host.run(launchctlQuery("print", domain + "/" + label)).succeeded();
  }

  /** {@code gui/<uid>} for the current user, {@code system} for daemons. */
  private String domain(Host host) {
    if (scope == Scope.SYSTEM) {
      return "system";
    }
    Command id = Command.query("id", "-u");
    String uid = host.runChecked(id).stdout().strip();
    if (!uid.matches("\\d+")) {
      throw new OsServiceException(
          OsServiceException.COMMAND_FAILED, "id -u did not print a user id: '" + uid + "'");
    }
    return "gui/" + uid;
  }

  private static Command launchctl(String... args) {
    return Command.change(prepend("launchctl", args));
  }

  private static Command launchctlQuery(String... args) {
    return Command.query(prepend("launchctl", args));
  }

  private static String[] prepend(String first, String... rest) {
    String[] argv = new String[rest.length + 1];
    argv[0] = first;
    System.arraycopy(rest, 0, argv, 1, rest.length);
    return argv;
  }

  private static Optional<String> find(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
