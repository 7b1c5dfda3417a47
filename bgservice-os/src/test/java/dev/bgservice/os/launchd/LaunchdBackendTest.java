package dev.bgservice.os.launchd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.RecordingCommandRunner;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.testing.AwkwardSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchd backend's files and commands, with every command recorded, none run. */
class LaunchdBackendTest {
  static final String TARGET = "gui/501/com.example.sync";

  @TempDir Path temp;
  final RecordingCommandRunner runner = RecordingCommandRunner.recordOnly();
  LaunchdBackend backend;

  @BeforeEach
  void setUp() {
    runner.respond(List.of("id", "-u"), CommandResult.success("501\n"));
    runner.respond(List.of("launchctl", "print"), new CommandResult(113, "", "Could not find service"));
    backend = new LaunchdBackend(Scope.USER, temp.resolve("LaunchAgents"), temp.resolve("manual"));
  }

  private ServiceDefinition definition(boolean autostart) {
    return AwkwardSpecs.definition(AwkwardSpecs.unixHostJar("/usr/bin/java").toBuilder()
        .workingDirectory(temp.resolve("state")).logs(temp.resolve("logs/o.log"), temp.resolve("logs/e.log")).build(),
        autostart);
  }

  private List<List<String>> changes() {
    return runner.changes().stream().map(Command::argv).toList();
  }

  @Test
  void autostartPlistGoesToLaunchAgentsAndIsBootstrapped() throws Exception {
    backend.install(definition(true), true, Host.live(runner));
    Path plist = temp.resolve("LaunchAgents/com.example.sync.plist");
    assertThat(Files.readString(plist)).isEqualTo(LaunchdPlist.render(definition(true), Scope.USER));
    assertThat(changes()).containsExactly(
        List.of("launchctl", "bootstrap", "gui/501", plist.toString()),
        List.of("launchctl", "kickstart", TARGET));
    assertThat(backend.isEnabled(AwkwardSpecs.LABEL, Host.live(runner))).isTrue();
  }

  @Test
  void manualPlistStaysOutOfLaunchAgents() {
    backend.install(definition(false), false, Host.live(runner));
    assertThat(temp.resolve("manual/com.example.sync.plist")).exists();
    assertThat(temp.resolve("LaunchAgents/com.example.sync.plist")).doesNotExist();
    assertThat(changes()).isEmpty();
    assertThat(backend.isEnabled(AwkwardSpecs.LABEL, Host.live(runner))).isFalse();

    backend.install(definition(true), false, Host.live(runner));
    assertThat(temp.resolve("manual/com.example.sync.plist")).as("moved on reinstall").doesNotExist();
    assertThat(temp.resolve("LaunchAgents/com.example.sync.plist")).exists();
  }

  @Test
  void stopUnloadsAndUninstallRemoves() {
    backend.install(definition(true), false, Host.live(runner));
    runner.respond(List.of("launchctl", "print"), CommandResult.success("state = running\n\tpid = 77\n"));
    backend.stop(AwkwardSpecs.LABEL, Host.live(runner));
    backend.uninstall(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(changes()).containsExactly(
        List.of("launchctl", "bootout", TARGET), List.of("launchctl", "bootout", TARGET));
    assertThat(temp.resolve("LaunchAgents/com.example.sync.plist")).doesNotExist();
  }

  @Test
  void restartKillsAndStartsALoadedJob() {
    backend.install(definition(true), false, Host.live(runner));
    runner.respond(List.of("launchctl", "print"), CommandResult.success("state = running\n"));
    backend.restart(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(changes()).containsExactly(List.of("launchctl", "kickstart", "-k", TARGET));
  }

  @Test
  void statusReadsLaunchctlPrint() {
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.NOT_INSTALLED);
    backend.install(definition(true), false, Host.live(runner));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.STOPPED);
    runner.respond(List.of("launchctl", "print"), CommandResult.success(
        "gui/501/com.example.sync = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n\tlast exit code = 0\n}\n"));
    InstalledServiceStatus running = backend.status(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(running.state()).isEqualTo(RunState.RUNNING);
    assertThat(running.pid()).hasValue(4242);
    runner.respond(List.of("launchctl", "print"), CommandResult.success(
        "gui/501/com.example.sync = {\n\tstate = not running\n\tlast exit code = 1\n}\n"));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.FAILED);
  }
}
