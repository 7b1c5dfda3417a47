package dev.bgservice.os.systemd;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A systemd unit: {@code <unitDir>/<label>.service}, controlled with {@code systemctl --user}
 * (user scope) or {@code systemctl} (system scope).
 */
public final class SystemdBackend implements ServiceBackend {
  private final Scope scope;
  private final Path unitDirectory;
  private final OptionalInt systemdVersion;
  private final String userName;

  /**
   * A backend for {@code scope}.
   *
   * @param unitDirectory where unit files are written (redirectable for tests and packaging)
   * @param systemdVersion the systemd version to generate for; empty asks {@code systemctl
   *     --version}
   * @param userName the user whose lingering is checked for user units
   */
  public SystemdBackend(Scope scope, Path unitDirectory, OptionalInt systemdVersion, String userName) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.unitDirectory = Objects.requireNonNull(unitDirectory, "unitDirectory");
    this.systemdVersion = Objects.requireNonNull(systemdVersion, "systemdVersion");
    this.userName = Objects.requireNonNull(userName, "userName");
  }

  @Override
  public ServiceManager manager() {
    return ServiceManager.SYSTEMD;
  }

  @Override
  public Scope scope() {
    return scope;
  }

  /** The unit file of a label. */
  public Path unitFile(String label) {
    return unitDirectory.resolve(NamingRules.systemdUnitName(label));
  }

  @Override
  public void checkLabel(String label) {
    NamingRules.checkSystemd(label);
  }

  @Override
  public void install(ServiceDefinition definition, boolean startNow, Host host) {
    String label = definition.label();
    checkLabel(label);
    String unit = NamingRules.systemdUnitName(label);
    int version = systemdVersion.orElseGet(() -> detectVersion(host));
    String content = SystemdUnit.render(definition, scope, version);
    if (version < SystemdVersion.RESTART_STEPS) {
      host.note("systemd " + (version == 0 ? "version unknown" : version)
          + ": restarts use a fixed delay (RestartSteps needs systemd " + SystemdVersion.RESTART_STEPS + ")");
    }
    definition.launch().workingDirectory().ifPresent(host::createDirectories);
    definition.launch().stdoutLog().ifPresent(host::createParentDirectories);
    definition.launch().stderrLog().ifPresent(host::createParentDirectories);
    Path file = unitFile(label);
    if (Files.exists(file)) {
      // Drop the old enablement while the old [Install] section still says what to undo.
      host.run(systemctl("disable", unit));
    }
    host.write(file, content, StandardCharsets.UTF_8);
    host.runChecked(systemctl("daemon-reload"));
    if (definition.autostart()) {
      host.runChecked(systemctl("enable", unit));
      if (scope == Scope.USER) {
        Linger.isEnabled(userName, host)
            .filter(enabled -> !enabled)
            .ifPresent(off -> host.note(Linger.advice(userName)));
      }
    }
    if (startNow) {
      // restart, not start: a reinstall must pick up the new definition.
      host.runChecked(systemctl("restart", unit));
    }
  }

  @Override
  public void uninstall(String label, Host host) {
    checkLabel(label);
    String unit = NamingRules.systemdUnitName(label);
    Path file = unitFile(label);
    requireInstalled(label, file);
    CommandResult disable = host.run(systemctl("disable", "--now", unit));
    if (!disable.succeeded()) {
      // Not fatal: the unit may never have been loaded; stop it explicitly and carry on.
      host.run(systemctl("stop", unit));
    }
    host.delete(file);
    host.runChecked(systemctl("daemon-reload"));
    host.run(systemctl("reset-failed", unit));
  }

  @Override
  public void start(String label, Host host) {
    control("start", label, host);
  }

  @Override
  public void stop(String label, Host host) {
    control("stop", label, host);
  }

  @Override
  public void restart(String label, Host host) {
    control("restart", label, host);
  }

  @Override
  public InstalledServiceStatus status(String label, Host host) {
    checkLabel(label);
    if (!Files.exists(unitFile(label))) {
      return new InstalledServiceStatus(
          label, manager(), scope, RunState.NOT_INSTALLED, false, OptionalLong.empty(), "");
    }
    CommandResult result =
        host.run(
            systemctlQuery(
                "show",
                NamingRules.systemdUnitName(label),
                "--property=LoadState,ActiveState,SubState,MainPID,UnitFileState"));
    Map<String, String> properties = properties(result.stdout());
    String active = properties.getOrDefault("ActiveState", "");
    String sub = properties.getOrDefault("SubState", "");
    RunState state = !result.succeeded() ? RunState.UNKNOWN : runState(active, sub);
    long pid = parseLong(properties.getOrDefault("MainPID", "0"));
    return new InstalledServiceStatus(
        label,
        manager(),
        scope,
        state,
        "enabled".equals(properties.get("UnitFileState")),
        pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(),
        active.isEmpty() ? result.firstMessageLine() : active + " (" + sub + ")");
  }

  @Override
  public boolean isEnabled(String label, Host host) {
    checkLabel(label);
    if (!Files.exists(unitFile(label))) {
      return false;
    }
    CommandResult result = host.run(systemctlQuery("is-enabled", NamingRules.systemdUnitName(label)));
    return result.succeeded() && result.stdout().strip().equals("enabled");
  }

  /** Maps systemd's ActiveState and SubState to a {@link RunState}. */
  static RunState runState(String activeState, String subState) {
    return switch (activeState) {
      case "active", "reloading" -> RunState.RUNNING;
      case "inactive", "deactivating" -> RunState.STOPPED;
      case "failed" -> RunState.FAILED;
      // Waiting out RestartSec after a crash shows as activating/auto-restart.
      case "activating" -> subState.equals("auto-restart") ? RunState.FAILED : RunState.RUNNING;
      default -> RunState.UNKNOWN;
    };
  }

  private void control(String verb, String label, Host host) {
    checkLabel(label);
    requireInstalled(label, unitFile(label));
    host.runChecked(systemctl(verb, NamingRules.systemdUnitName(label)));
  }

  private int detectVersion(Host host) {
    try {
      CommandResult result = host.run(Command.query("systemctl", "--version"));
      return result.succeeded() ? SystemdVersion.parse(result.stdout()).orElse(0) : 0;
    } catch (OsServiceException e) {
      // No systemctl: generate for the oldest systemd; installing will fail later anyway.
      return 0;
    }
  }

  private void requireInstalled(String label, Path file) {
    if (!Files.exists(file)) {
      throw OsServiceException.notInstalled(label, file.toString());
    }
  }

  private Command systemctl(String... args) {
    return Command.change(systemctlArgv(args).toArray(String[]::new));
  }

  private Command systemctlQuery(String... args) {
    return Command.query(systemctlArgv(args).toArray(String[]::new));
  }

  private List<String> systemctlArgv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("systemctl");
    if (scope == Scope.USER) {
      argv.add("--user");
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private static Map<String, String> properties(String output) {
    Map<String, String> properties = new HashMap<>();
    for (String line : output.split("\\R")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        properties.put(line.substring(0, equals), line.substring(equals + 1).strip());
      }
    }
    return properties;
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
