package dev.bgservice.os.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.RecordingCommandRunner;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.AwkwardSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Windows backends' commands, recorded on any OS. */
class WindowsBackendsTest {
  @TempDir Path temp;
  final RecordingCommandRunner runner = RecordingCommandRunner.recordOnly();

  private ServiceDefinition definition(boolean autostart) {
    LaunchSpec launch = LaunchSpec.builder(
            Path.of("C:\\Java\\bin\\java.exe"), new ClassPathTarget(List.of(Path.of("C:\\app\\app.jar")), "com.example.App"))
        .programArgs("--service-label", AwkwardSpecs.LABEL)
        .workingDirectory(temp.resolve("state"))
        .build();
    return AwkwardSpecs.definition(launch, autostart);
  }

  private List<String> programs() {
    return runner.commands().stream().map(c -> c.argv().get(0) + " " + c.argv().get(1)).toList();
  }

  @Test
  void serviceInstallRegistersSetsFailureActionsAndStarts() throws Exception {
    Path prunsrv = Files.createFile(temp.resolve("prunsrv.exe"));
    runner.respond(List.of("sc.exe", "query"), new CommandResult(1060, "", "The specified service does not exist"));
    WindowsServiceBackend backend = new WindowsServiceBackend(prunsrv);
    backend.install(definition(true), true, Host.live(runner));
    assertThat(programs()).containsExactly(
        "sc.exe query", prunsrv + " //IS//com.example.sync", "sc.exe failure", "sc.exe failureflag",
        "sc.exe start");
  }

  @Test
  void serviceReinstallUpdatesAndRestarts() throws Exception {
    Path prunsrv = Files.createFile(temp.resolve("prunsrv.exe"));
    WindowsServiceBackend backend = new WindowsServiceBackend(prunsrv);
    runner.respond(List.of("sc.exe", "stop"), new CommandResult(1062, "", "not started"));
    backend.install(definition(true), true, Host.live(runner));
    assertThat(programs()).containsExactly(
        "sc.exe query", prunsrv + " //US//com.example.sync", "sc.exe failure", "sc.exe failureflag",
        "sc.exe stop", "sc.exe start");
  }

  @Test
  void serviceInstallNeedsPrunsrvExceptInADryRun() {
    WindowsServiceBackend backend = new WindowsServiceBackend(temp.resolve("missing.exe"));
    assertThatThrownBy(() -> backend.install(definition(true), false, Host.live(runner)))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("bin-windows");
    runner.respond(List.of("sc.exe", "query"), new CommandResult(1060, "", "The specified service does not exist"));
    Host dryRun = Host.dryRun(runner);
    backend.install(definition(true), true, dryRun);
    assertThat(dryRun.report("install", "x").render()).contains("prunsrv.exe was not found", "//IS//com.example.sync", "run sc.exe start com.example.sync");
  }

  @Test
  void aDryRunWithoutScExePlansANewService() throws Exception {
    Path prunsrv = Files.createFile(temp.resolve("prunsrv.exe"));
    WindowsServiceBackend backend = new WindowsServiceBackend(prunsrv);
    // The dry run of another OS: no program of the Windows service manager can be started here.
    Host dryRun =
        Host.dryRun(
            command -> {
              throw new OsServiceException(
                  OsServiceException.PROGRAM_NOT_FOUND, "Could not run " + command.program());
            });
    backend.install(definition(true), true, dryRun);
    assertThat(dryRun.report("install", "x").render())
        .contains("//IS//com.example.sync")
        .doesNotContain("//US//");
  }

  @Test
  void serviceStatusReadsScQueryex() {
    WindowsServiceBackend backend = new WindowsServiceBackend(temp.resolve("prunsrv.exe"));
    runner.respond(List.of("sc.exe", "queryex"), CommandResult.success(
        "SERVICE_NAME: com.example.sync\n        TYPE               : 10  WIN32_OWN_PROCESS\n"
            + "        STATE              : 4  RUNNING\n        PID                : 5120\n"));
    runner.respond(List.of("sc.exe", "qc"), CommandResult.success("        START_TYPE         : 2   AUTO_START\n"));
    InstalledServiceStatus status = backend.status(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(status.state()).isEqualTo(RunState.RUNNING);
    assertThat(status.pid()).hasValue(5120);
    assertThat(status.enabled()).isTrue();
    runner.respond(List.of("sc.exe", "queryex"), new CommandResult(1060, "", ""));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).installed()).isFalse();
  }

  @Test
  void taskInstallWritesUtf16XmlAndRegistersIt() throws Exception {
    runner.respond(List.of("schtasks.exe", "/Query"), new CommandResult(1, "", "ERROR: The system cannot find the file specified."));
    ScheduledTaskBackend backend = new ScheduledTaskBackend(temp.resolve("tasks"), "PC\\zoe");
    Host host = Host.live(runner);
    backend.install(definition(true), true, host);
    Path file = backend.taskFile(AwkwardSpecs.LABEL);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes[0]).isEqualTo((byte) 0xFF);
    assertThat(bytes[1]).isEqualTo((byte) 0xFE);
    assertThat(new String(bytes, StandardCharsets.UTF_16LE).substring(1))
        .isEqualTo(ScheduledTaskXml.render(definition(true), "PC\\zoe"));
    assertThat(host.report("install", "x").render()).contains("(UTF-16LE)\n    | <?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
    List<List<String>> changes = runner.changes().stream().map(Command::argv).toList();
    assertThat(changes).containsExactly(
        List.of("schtasks.exe", "/Create", "/TN", "bgservice\\com.example.sync", "/XML", file.toString(), "/F"),
        List.of("schtasks.exe", "/Run", "/TN", "bgservice\\com.example.sync"));
  }

  @Test
  void taskStatusAndUninstall() {
    ScheduledTaskBackend backend = new ScheduledTaskBackend(temp.resolve("tasks"), "PC\\zoe");
    runner.respond(List.of("schtasks.exe", "/Query"), CommandResult.success(
        "TaskName: \\bgservice\\com.example.sync\nStatus: Running\nLast Result: 267009\n"));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.RUNNING);
    runner.respond(List.of("schtasks.exe", "/Query"), CommandResult.success("Status: Ready\nLast Result: 1\n"));
    assertThat(backend.status(AwkwardSpecs.LABEL, Host.live(runner)).state()).isEqualTo(RunState.FAILED);
    backend.uninstall(AwkwardSpecs.LABEL, Host.live(runner));
    assertThat(runner.changes().stream().map(c -> c.argv().get(1)).toList()).containsExactly("/End", "/Delete");
  }
}
