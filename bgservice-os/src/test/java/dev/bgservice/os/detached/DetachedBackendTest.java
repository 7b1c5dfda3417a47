package dev.bgservice.os.detached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.CommandRunner;
import dev.bgservice.os.fixtures.DetachedStarter;
import dev.bgservice.os.fixtures.FakeSidecar;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.host.OperationReport;
import dev.bgservice.os.host.Step;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detached backend with real child JVMs. */
class DetachedBackendTest {
  static final String LABEL = "detached-test";

  @TempDir Path temp;
  final List<ProcessHandle> spawned = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    // Only processes this test started, by pid; a passing test leaves none.
    for (ProcessHandle process : spawned) {
      process.destroyForcibly();
    }
  }

  private Path directory() {
    return temp.resolve("detached");
  }

  private DetachedBackend backend(Duration stopTimeout) {
    return new DetachedBackend(directory(), stopTimeout);
  }

  private ServiceDefinition definition(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    args.addAll(List.of("--service-label", LABEL));
    LaunchSpec spec = TestJvm.spec(FakeSidecar.class, temp.resolve("logs"), args.toArray(String[]::new));
    return ServiceDefinition.of(LABEL, spec, false);
  }

  @Test
  void fullLifecycleWithASidecarThatOutlivesItsStarter() throws Exception {
    DetachedBackend backend = backend(Duration.ofSeconds(20));
    Host host = Host.live(CommandRunner.system());
    backend.install(definition(), false, host);
    assertThat(backend.specFile(LABEL)).exists();
    assertThat(backend.status(LABEL, host).state()).isEqualTo(RunState.STOPPED);

    // Start from a separate short-lived JVM, which exits right after.
    Process starter = new ProcessBuilder(
            TestJvm.spec(DetachedStarter.class, temp.resolve("starter-logs"), directory().toString(), LABEL).argv())
        .redirectErrorStream(true)
        .start();
    String starterOutput = new String(starter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(starter.waitFor(60, TimeUnit.SECONDS)).as("starter exited").isTrue();
    assertThat(starter.exitValue()).as("starter output: %s", starterOutput).isZero();
    long pid = Long.parseLong(starterOutput.strip().lines().reduce((a, b) -> b).orElseThrow());
    ProcessHandle sidecar = ProcessHandle.of(pid).orElseThrow();
    spawned.add(sidecar);

    assertThat(starter.isAlive()).isFalse();
    assertThat(sidecar.isAlive()).as("sidecar alive after its starter exited").isTrue();
    assertThat(sidecar.parent().map(ProcessHandle::pid)).isNotEqualTo(Optional.of(starter.pid()));
    if (Files.exists(Path.of("/proc/self/stat")) && !DetachedBackend.detachPrefix().isEmpty()
        && DetachedBackend.detachPrefix().get(0).endsWith("setsid")) {
      assertThat(sessionId(pid)).as("the sidecar leads its own session").isEqualTo(pid);
    }

    InstalledServiceStatus status = backend.status(LABEL, host);
    assertThat(status.state()).isEqualTo(RunState.RUNNING);
    assertThat(status.pid()).hasValue(pid);
    assertThat(backend.runningProcess(LABEL).map(ProcessHandle::pid)).hasValue(pid);

    backend.start(LABEL, host);
    assertThat(backend.runningProcess(LABEL).map(ProcessHandle::pid)).as("start is idempotent").hasValue(pid);

    backend.stop(LABEL, host);
    assertThat(sidecar.isAlive()).isFalse();
    assertThat(backend.pidFile(LABEL)).doesNotExist();
    assertThat(backend.status(LABEL, host).state()).isEqualTo(RunState.STOPPED);

    backend.uninstall(LABEL, host);
    assertThat(backend.status(LABEL, host).state()).isEqualTo(RunState.NOT_INSTALLED);
    assertThat(directory()).as("nothing left behind").doesNotExist();
  }

  @Test
  void uninstallStopsARunningSidecar() {
    DetachedBackend backend = backend(Duration.ofSeconds(20));
    Host host = Host.live(CommandRunner.system());
    backend.install(definition(), true, host);
    ProcessHandle sidecar = backend.runningProcess(LABEL).orElseThrow();
    spawned.add(sidecar);
    assertThat(host.steps()).anyMatch(Step.SpawnProcess.class::isInstance);

    backend.uninstall(LABEL, host);
    assertThat(sidecar.isAlive()).isFalse();
    assertThat(directory()).doesNotExist();
  }

  @Test
  void stopKillsASidecarThatIgnoresSigterm() {
    DetachedBackend backend = backend(Duration.ofMillis(500));
    Host host = Host.live(CommandRunner.system());
    backend.install(definition("--block-shutdown"), true, host);
    ProcessHandle sidecar = backend.runningProcess(LABEL).orElseThrow();
    spawned.add(sidecar);

    backend.stop(LABEL, host);
    assertThat(sidecar.isAlive()).isFalse();
    backend.uninstall(LABEL, host);
    assertThat(directory()).doesNotExist();
  }

  @Test
  void aReusedPidIsNotMistakenForTheSidecar() throws Exception {
    DetachedBackend backend = backend(Duration.ofSeconds(20));
    Host host = Host.live(CommandRunner.system());
    backend.install(definition(), false, host);
    // A live process that is not the sidecar: right pid, wrong start time.
    Process stranger = new ProcessBuilder(TestJvm.spec(FakeSidecar.class, temp.resolve("s")).argv()).start();
    spawned.add(stranger.toHandle());
    PidRecord forged = new PidRecord(stranger.pid(), Optional.of(Instant.parse("2001-01-01T00:00:00Z")));
    Files.writeString(backend.pidFile(LABEL), forged.toJson());

    assertThat(backend.runningProcess(LABEL)).isEmpty();
    InstalledServiceStatus status = backend.status(LABEL, host);
    assertThat(status.state()).isEqualTo(RunState.STOPPED);
    assertThat(status.detail()).contains("stale");
    backend.stop(LABEL, host);
    assertThat(stranger.isAlive()).as("stop left the unrelated process alone").isTrue();
    assertThat(backend.pidFile(LABEL)).doesNotExist();
    backend.uninstall(LABEL, host);
  }

  @Test
  void aSidecarThatExitsAtOnceIsReported() {
    DetachedBackend backend = new DetachedBackend(directory(), Duration.ofSeconds(5), Duration.ofSeconds(30));
    Host host = Host.live(CommandRunner.system());
    ServiceDefinition failing = ServiceDefinition.of(
        LABEL, TestJvm.spec(FakeSidecar.class, temp.resolve("logs"), "--exit", "3"), false);
    assertThatThrownBy(() -> backend.install(failing, true, host))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("exited at once with status 3")
        .hasMessageContaining("err.log");
    assertThat(backend.pidFile(LABEL)).doesNotExist();
    backend.uninstall(LABEL, host);
  }

  @Test
  void dryRunRecordsTheSpawnAndChangesNothing() {
    DetachedBackend backend = backend(Duration.ofSeconds(5));
    Host host = Host.dryRun(CommandRunner.system());
    backend.install(definition(), true, host);
    OperationReport report = host.report("install", LABEL);
    assertThat(report.writtenFiles()).extracting(Step.WriteFile::path).containsExactly(backend.specFile(LABEL));
    assertThat(report.steps()).anyMatch(s -> s instanceof Step.SpawnProcess spawn
        && spawn.argv().contains(FakeSidecar.class.getName()));
    assertThat(directory()).doesNotExist();
    assertThat(report.steps()).filteredOn(Step.CreateDirectory.class::isInstance)
        .as("each directory planned once").doesNotHaveDuplicates();
  }

  @Test
  void aDryRunRestartPlansTheStopAndTheNewSpawnAndLeavesTheSidecarRunning() {
    DetachedBackend backend = backend(Duration.ofSeconds(20));
    backend.install(definition(), true, Host.live(CommandRunner.system()));
    ProcessHandle sidecar = backend.runningProcess(LABEL).orElseThrow();
    spawned.add(sidecar);

    Host dryRun = Host.dryRun(CommandRunner.system());
    backend.restart(LABEL, dryRun);
    assertThat(dryRun.steps()).hasAtLeastOneElementOfType(Step.StopProcess.class)
        .hasAtLeastOneElementOfType(Step.SpawnProcess.class);
    assertThat(sidecar.isAlive()).isTrue();
    assertThat(backend.runningProcess(LABEL)).contains(sidecar);

    backend.uninstall(LABEL, Host.live(CommandRunner.system()));
    assertThat(sidecar.isAlive()).isFalse();
  }

  @Test
  void autostartIsRefused() {
    ServiceDefinition autostart = ServiceDefinition.of(LABEL, definition().launch(), true);
    assertThatThrownBy(() -> backend(Duration.ofSeconds(1)).install(autostart, false, Host.dryRun(CommandRunner.system())))
        .isInstanceOf(OsServiceException.class)
        .satisfies(e -> assertThat(((OsServiceException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED))
        .hasMessageContaining("without autostart");
  }

  @Test
  void operationsOnAMissingServiceSayItIsNotInstalled() {
    DetachedBackend backend = backend(Duration.ofSeconds(1));
    Host host = Host.live(CommandRunner.system());
    assertThatThrownBy(() -> backend.start(LABEL, host)).hasMessageContaining("No service 'detached-test' is installed");
    assertThatThrownBy(() -> backend.uninstall(LABEL, host)).hasMessageContaining("is installed");
    assertThat(backend.status(LABEL, host).installed()).isFalse();
  }

  private static long sessionId(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }
}
