package dev.bgservice.os.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.RecordingCommandRunner;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.host.Step;
import dev.bgservice.os.testing.AwkwardSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd backend's files and commands, with every command recorded, none run. */
class SystemdBackendTest {
  static final String UNIT = "com.example.sync.service";

  @TempDir Path temp;
  final RecordingCommandRunner runner = RecordingCommandRunner.recordOnly();

  private SystemdBackend backend(Scope scope, OptionalInt version) {
    return new SystemdBackend(scope, temp.resolve("units"), version, "zoe");
  }

  private ServiceDefinition definition(boolean autostart) {
    return AwkwardSpecs.definition(AwkwardSpecs.unixHostJar("/usr/bin/java").toBuilder()
        .workingDirectory(temp.resolve("state")).logs(temp.resolve("logs/o.log"), temp.resolve("logs/e.log")).build(),
        autostart);
  }

  private List<List<String>> commands() {
    return runner.commands().stream().map(Command::argv).toList();
  }

  @Test
  void userInstallWritesTheUnitEnablesAndStarts() throws Exception {
    runner.respond(List.of("loginctl"), CommandResult.success("no\n"));
    SystemdBackend backend = backend(Scope.USER, OptionalInt.of(254));
    Host host = Host.live(runner);
    backend.install(definition(true), true, host);

    Path unit = temp.resolve("units").resolve(UNIT);
    assertThat(Files.readString(unit)).isEqualTo(SystemdUnit.render(definition(true), Scope.USER, 254));
    assertThat(temp.resolve("state")).isDirectory();
    assertThat(temp.resolve("logs")).isDirectory();
    assertThat(commands()).containsExactly(
        List.of("systemctl", "--user", "daemon-reload"),
        List.of("systemctl", "--user", "enable", UNIT),
        List.of("loginctl", "show-user", "--property=Linger", "--value", "zoe"),
        List.of("systemctl", "--user", "restart", UNIT));
    assertThat(host.steps()).anyMatch(s -> s instanceof Step.Note n && n.text().contains("loginctl enable-linger zoe"));
  }

  @Test
  void systemInstallWithoutAutostartDoesNotEnableAndAsksForTheVersion() throws Exception {
    runner.respond(List.of("systemctl", "--version"), CommandResult.success("systemd 249 (249.11-0ubuntu3)\n"));
    SystemdBackend backend = backend(Scope.SYSTEM, OptionalInt.empty());
    backend.install(definition(false), false, Host.live(runner));
    assertThat(commands()).containsExactly(List.of("systemctl", "--version"), List.of("systemctl", "daemon-reload"));
    assertThat(Files.readString(temp.resolve("units").resolve(UNIT)))
        .isEqualTo(SystemdUnit.render(definition(false), Scope.SYSTEM, 249))
        .doesNotContain("RestartSteps");
  }

  @Test
  void reinstallDisablesTheOldUnitFirst() {
    SystemdBackend backend = backend(Scope.USER, OptionalInt.of(254));
    backend.install(definition(true), false, Host.live(runner));
    backend.install(definition(false), false, Host.live(runner));
    assertThat(commands()).contains(List.of("systemctl", "--user", "disable", UNIT));
  }

  @Test
  void aFailingCommandStopsTheInstallWithItsMessage() {
    runner.respond(List.of("systemctl", "--user", "daemon-reload"),
        new CommandResult(1, "", "Failed to connect to bus: No medium found\n"));
    assertThatThrownBy(() -> backend(Scope.USER, OptionalInt.of(254)).install(definition(true), true, Host.live(runner)))
        .isInstanceOf(OsServiceException.class)
        .hasMessage("systemctl --user daemon-reload failed with exit status 1: Failed to connect to bus: No medium found");
  }

  @Test
  void dryRunWritesNothing() {
    Host host = Host.dryRun(runner);
    backend(Scope.USER, OptionalInt.of(254)).install(definition(true), true, host);
    assertThat(temp.resolve("units")).doesNotExist();
    assertThat(host.report("install", "x").writtenFiles()).hasSize(1);
  }

  @Test
  void uninstallDisablesRemovesAndReloads() {
    SystemdBackend backend = backend(Scope.USER, OptionalInt.of(254));
    backend.install(definition(true), false, Host.live(runner));
    backend.uninstall(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(temp.resolve("units").resolve(UNIT)).doesNotExist();
    assertThat(commands()).endsWith(
        List.of("systemctl", "--user", "disable", "--now", UNIT),
        List.of("systemctl", "--user", "daemon-reload"),
        List.of("systemctl", "--user", "reset-failed", UNIT));
    assertThatThrownBy(() -> backend.uninstall(AwkwardSpecs.LABEL, Host.live(runner)))
        .hasMessageContaining("No service 'com.example.sync' is installed");
  }

  @Test
  void statusReadsSystemctlShow() {
    SystemdBackend backend = backend(Scope.USER, OptionalInt.of(254));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.NOT_INSTALLED);
    backend.install(definition(true), false, Host.live(runner));
    runner.respond(List.of("systemctl", "--user", "show"), CommandResult.success(
        "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nUnitFileState=enabled\n"));
    InstalledServiceStatus status = backend.status(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(status.state()).isEqualTo(RunState.RUNNING);
    assertThat(status.pid()).hasValue(4242);
    assertThat(status.enabled()).isTrue();
    assertThat(status.summary()).isEqualTo(
        "com.example.sync (systemd user): running, pid 4242, starts automatically [active (running)]");
  }

  @Test
  void runStateMapping() {
    assertThat(SystemdBackend.runState("failed", "failed")).isEqualTo(RunState.FAILED);
    assertThat(SystemdBackend.runState("activating", "auto-restart")).isEqualTo(RunState.FAILED);
    assertThat(SystemdBackend.runState("activating", "start")).isEqualTo(RunState.RUNNING);
    assertThat(SystemdBackend.runState("inactive", "dead")).isEqualTo(RunState.STOPPED);
    assertThat(SystemdBackend.runState("weird", "")).isEqualTo(RunState.UNKNOWN);
  }

  @Test
  void isEnabledAsksSystemctl() {
    SystemdBackend backend = backend(Scope.USER, OptionalInt.of(254));
    assertThat(backend.isEnabled(AwkwardSpecs.LABEL, Host.live(runner))).isFalse();
    backend.install(definition(true), false, Host.live(runner));
    runner.respond(List.of("systemctl", "--user", "is-enabled"), CommandResult.success("enabled\n"));
    assertThat(backend.isEnabled(AwkwardSpecs.LABEL, Host.live(runner))).isTrue();
    runner.respond(List.of("systemctl", "--user", "is-enabled"), new CommandResult(1, "disabled\n", ""));
    assertThat(backend.isEnabled(AwkwardSpecs.LABEL, Host.live(runner))).isFalse();
  }
}
