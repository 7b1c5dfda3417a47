package dev.bgservice.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.RecordingCommandRunner;
import dev.bgservice.os.fixtures.FakeSidecar;
import dev.bgservice.os.host.OperationReport;
import dev.bgservice.os.host.Step;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.naming.InvalidLabelException;
import dev.bgservice.os.systemd.SystemdBackend;
import dev.bgservice.os.systemd.SystemdUnit;
import dev.bgservice.os.testing.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade the CLI calls, with service manager commands recorded and a real probe. */
class OsServicesTest {
  static final String LABEL = "com.example.sync";

  @TempDir Path temp;
  final RecordingCommandRunner runner = RecordingCommandRunner.recordOnly();

  private OsServices systemd() {
    return OsServices.builder()
        .manager(ServiceManager.SYSTEMD)
        .commandRunner(runner)
        .systemdVersion(254)
        .systemdUnitDirectory(Scope.USER, temp.resolve("units"))
        .userName("zoe")
        .build();
  }

  private LaunchSpec sidecar(String label) {
    return TestJvm.spec(FakeSidecar.class, temp.resolve("logs"), "--service-label", label);
  }

  @Test
  void dryRunInstallPrintsTheUnitAndCommandsAndChangesNothing() {
    LaunchSpec launch = sidecar(LABEL);
    OperationReport report = systemd().install(
        InstallRequest.builder(LABEL, launch).autostart(true).dryRun(true).build());

    assertThat(report.dryRun()).isTrue();
    assertThat(temp.resolve("units")).doesNotExist();
    Path unit = temp.resolve("units").resolve(LABEL + ".service");
    String expected = SystemdUnit.render(ServiceDefinition.of(LABEL, launch, true), Scope.USER, 254);
    assertThat(report.writtenFiles()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo(unit);
      assertThat(w.content()).isEqualTo(expected);
    });
    assertThat(report.commands()).extracting(c -> c.command().display()).containsExactly(
        "systemctl --user daemon-reload",
        "systemctl --user enable com.example.sync.service",
        "loginctl show-user --property=Linger --value zoe",
        "systemctl --user restart com.example.sync.service");
    String text = report.render();
    assertThat(text)
        .startsWith("Dry run: install 'com.example.sync' would do the following (nothing was changed):\n")
        .contains("  note: the sidecar answered --validate-service-install: bgservice 0.1.0, protocol 2, label com.example.sync\n")
        .contains("  write " + unit + " (UTF-8)\n    | # Written by bgservice")
        .contains("    | [Install]\n    | WantedBy=default.target\n")
        .contains("  run systemctl --user enable com.example.sync.service\n");
  }

  @Test
  void installThenControlThenUninstall() throws Exception {
    OsServices services = systemd();
    services.install(InstallRequest.builder(LABEL, sidecar(LABEL)).build());
    assertThat(temp.resolve("units").resolve(LABEL + ".service")).exists();
    services.stop(ServiceTarget.user(LABEL));
    services.start(ServiceTarget.user(LABEL));
    services.restart(ServiceTarget.user(LABEL));
    OperationReport uninstall = services.uninstall(ServiceTarget.user(LABEL));
    assertThat(uninstall.steps()).anyMatch(s -> s instanceof Step.DeleteFile);
    assertThat(temp.resolve("units").resolve(LABEL + ".service")).doesNotExist();
    assertThat(runner.changes()).extracting(Command::display).containsExactly(
        "systemctl --user daemon-reload",
        "systemctl --user restart com.example.sync.service",
        "systemctl --user stop com.example.sync.service",
        "systemctl --user start com.example.sync.service",
        "systemctl --user restart com.example.sync.service",
        "systemctl --user disable --now com.example.sync.service",
        "systemctl --user daemon-reload",
        "systemctl --user reset-failed com.example.sync.service");
  }

  @Test
  void aLabelTheManagerCannotUseFailsBeforeAnythingRuns() {
    assertThatThrownBy(() -> systemd().install(InstallRequest.builder("my sync", sidecar("my sync")).build()))
        .isInstanceOf(InvalidLabelException.class)
        .hasMessageContaining("cannot be used with systemd");
    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void aFailedProbeStopsTheInstallBeforeAnythingChanges() {
    assertThatThrownBy(() -> systemd().install(InstallRequest.builder(LABEL, sidecar("someone.else")).build()))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("would serve the label 'someone.else'");
    assertThat(runner.commands()).isEmpty();
    assertThat(temp.resolve("units")).doesNotExist();
  }

  @Test
  void rootRedirectsEveryDefaultDirectory() {
    OsServices services = OsServices.builder()
        .manager(ServiceManager.SYSTEMD).commandRunner(runner)
        .home(Path.of("/home/zoe")).environment(Map.of()).root(temp.resolve("pkg")).build();
    assertThat(((SystemdBackend) services.backend(Scope.USER)).unitFile(LABEL))
        .isEqualTo(temp.resolve("pkg/home/zoe/.config/systemd/user/com.example.sync.service"));
    assertThat(((SystemdBackend) services.backend(Scope.SYSTEM)).unitFile(LABEL))
        .isEqualTo(temp.resolve("pkg/etc/systemd/system/com.example.sync.service"));
  }

  @Test
  void lingerAdviceWhenLingeringIsOff() {
    runner.respond(List.of("loginctl", "show-user"), CommandResult.success("no\n"));
    assertThat(systemd().lingerAdvice()).hasValueSatisfying(advice ->
        assertThat(advice).contains("stops at your last logout", "loginctl enable-linger zoe"));
    runner.respond(List.of("loginctl", "show-user"), CommandResult.success("yes\n"));
    assertThat(systemd().lingerAdvice()).isEmpty();
    OperationReport enable = systemd().enableLinger(true);
    assertThat(enable.commands()).extracting(c -> c.command().display()).containsExactly("loginctl enable-linger zoe");
  }

  @Test
  void detachedModeHasNoSystemScope() {
    OsServices detached = OsServices.builder()
        .manager(ServiceManager.DETACHED).detachedDirectory(temp.resolve("d")).build();
    assertThatThrownBy(() -> detached.status(ServiceTarget.system(LABEL)))
        .isInstanceOf(OsServiceException.class)
        .satisfies(e -> assertThat(((OsServiceException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED));
  }

  @Test
  void detachedModeEndToEnd() {
    OsServices detached = OsServices.builder()
        .manager(ServiceManager.DETACHED).detachedDirectory(temp.resolve("d")).build();
    detached.install(InstallRequest.builder(LABEL, sidecar(LABEL)).build());
    InstalledServiceStatus running = detached.status(ServiceTarget.user(LABEL));
    try {
      assertThat(running.state()).isEqualTo(RunState.RUNNING);
      assertThat(detached.isEnabled(ServiceTarget.user(LABEL))).isFalse();
    } finally {
      detached.uninstall(ServiceTarget.user(LABEL));
    }
    assertThat(running.pid()).isPresent();
    assertThat(ProcessHandle.of(running.pid().getAsLong()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(detached.status(ServiceTarget.user(LABEL)).installed()).isFalse();
    assertThat(temp.resolve("d")).doesNotExist();
  }

  @Test
  void launchdDryRunOnAnyOs() throws Exception {
    runner.respond(List.of("id", "-u"), CommandResult.success("501\n"));
    runner.respond(List.of("launchctl", "print"), new CommandResult(113, "", ""));
    OsServices launchd = OsServices.builder()
        .manager(ServiceManager.LAUNCHD).commandRunner(runner)
        .launchdDirectories(Scope.USER, temp.resolve("agents"), temp.resolve("manual")).build();
    OperationReport report = launchd.install(
        InstallRequest.builder(LABEL, sidecar(LABEL)).autostart(true).probe(false).dryRun(true).build());
    assertThat(report.writtenFiles()).extracting(Step.WriteFile::path).containsExactly(temp.resolve("agents/com.example.sync.plist"));
    assertThat(report.render()).contains("run launchctl bootstrap gui/501 " + temp.resolve("agents/com.example.sync.plist"));
    assertThat(Files.exists(temp.resolve("agents"))).isFalse();
  }
}
