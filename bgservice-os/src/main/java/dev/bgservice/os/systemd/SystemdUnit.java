package dev.bgservice.os.systemd;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.LaunchSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders the unit file of a service: a pure function of the definition, the scope and the
 * systemd version, so it can be tested byte for byte.
 */
public final class SystemdUnit {

  private SystemdUnit() {}

  /**
   * The unit file text.
   *
   * @param systemdVersion the installed systemd version; settings newer than it are left out
   *     (0 when unknown: only settings every supported systemd knows are used)
   */
  public static String render(ServiceDefinition definition, Scope scope, int systemdVersion) {
    LaunchSpec launch = definition.launch();
    RestartPolicy restart = definition.restart();
    StringBuilder unit = new StringBuilder();
    unit.append("# Written by bgservice for the service '")
        .append(definition.label())
        .append("'; `bgs uninstall` removes it.\n");
    unit.append("[Unit]\n");
    line(unit, "Description", SystemdSyntax.text(definition.description()));
    // Start limits live in [Unit]: after `burst` starts within `interval` systemd gives up
    // instead of restarting a crash loop forever.
    line(unit, "StartLimitIntervalSec", SystemdSyntax.timeSpan(restart.interval()));
    line(unit, "StartLimitBurst", Integer.toString(restart.burst()));
    unit.append('\n');

    unit.append("[Service]\n");
    line(unit, "Type", "simple");
    line(unit, "ExecStart", SystemdSyntax.commandLine(launch.argv(":")));
    launch.workingDirectory().ifPresent(dir -> line(unit, "WorkingDirectory", SystemdSyntax.path(dir.toString())));
    for (Map.Entry<String, String> variable : launch.environment().entrySet()) {
      line(unit, "Environment", SystemdSyntax.environmentAssignment(variable.getKey(), variable.getValue()));
    }
    if (systemdVersion >= SystemdVersion.APPEND_OUTPUT) {
      launch.stdoutLog().ifPresent(p -> line(unit, "StandardOutput", "append:" + SystemdSyntax.path(p.toString())));
      launch.stderrLog().ifPresent(p -> line(unit, "StandardError", "append:" + SystemdSyntax.path(p.toString())));
    }
    if (scope == Scope.SYSTEM) {
      definition.runAs().ifPresent(user -> line(unit, "User", SystemdSyntax.text(user)));
    }
    line(unit, "Restart", "on-failure");
    line(unit, "RestartSec", SystemdSyntax.timeSpan(restart.initialDelay()));
    if (systemdVersion >= SystemdVersion.RESTART_STEPS) {
      line(unit, "RestartSteps", Integer.toString(restart.steps()));
      line(unit, "RestartMaxDelaySec", SystemdSyntax.timeSpan(restart.maxDelay()));
    }
    line(unit, "TimeoutStopSec", SystemdSyntax.timeSpan(restart.stopTimeout()));
    // A JVM stopped by SIGTERM exits with 128+15; that is a clean stop, not a failure.
    line(unit, "SuccessExitStatus", "143");

    if (definition.autostart()) {
      unit.append('\n').append("[Install]\n");
      line(unit, "WantedBy", wantedBy(scope));
    }
    return unit.toString();
  }

  /** The target an enabled unit hangs off: the user's session or multi-user boot. */
  public static String wantedBy(Scope scope) {
    return scope == Scope.USER ? "default.target" : "multi-user.target";
  }

  /** The default directory for units of a scope. */
  public static Path defaultUnitDirectory(Scope scope, Map<String, String> env, Path home) {
    if (scope == Scope.SYSTEM) {
      return Path.of("/etc/systemd/system");
    }
    String configHome = env.get("XDG_CONFIG_HOME");
    Path config =
        configHome != null && !configHome.isBlank() && Path.of(configHome).isAbsolute()
            ? Path.of(configHome)
            : home.resolve(".config");
    return config.resolve("systemd").resolve("user");
  }

  private static void line(StringBuilder unit, String key, String value) {
    unit.append(key).append('=').append(value).append('\n');
  }
}
