package dev.bgservice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgservice.os.detached.PidRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bgs install}, {@code bgs uninstall} and {@code bgs service ...} driven as separate
 * processes of the real jar. They never touch this machine's services: systemd and launchd are
 * only dry-run, and the real cycle uses the detached mode with every directory (service files,
 * state, sockets) in a temporary directory.
 */
class BgsInstallIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LABEL = "it.cycle";

  @TempDir Path tmp;
  private Map<String, String> environment;
  private final List<ProcessHandle> sidecars = new ArrayList<>();

  @BeforeEach
  void privateDirectories() throws IOException {
    // Sockets and default state go to the test's own directories, never the user's.
    Path runtime = Files.createDirectory(
        tmp.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    environment = Map.of(
        "XDG_RUNTIME_DIR", runtime.toString(),
        "XDG_STATE_HOME", tmp.resolve("xdg-state").toString(),
        "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
  }

  @AfterEach
  void killWhatTheTestStarted() throws IOException {
    // A passing test leaves nothing; after a failure, end the sidecars it started, and only
    // those: the ones it saw, and the ones its pid files name (pid and start time must match).
    List<ProcessHandle> leftovers = new ArrayList<>(sidecars);
    if (Files.isDirectory(detachedDir())) {
      try (Stream<Path> files = Files.list(detachedDir())) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          pidFileProcess(file).ifPresent(leftovers::add);
        }
      }
    }
    for (ProcessHandle process : leftovers) {
      process.destroyForcibly();
      process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> process).join();
    }
  }

  @Test
  void dryRunOfASystemdUserServiceShowsTheUnitAndTheCommandsAndWritesNothing() throws Exception {
    BgsProcess.Result result = bgs(
        "install", "--manager", "systemd", "--user", "--autostart", "--dry-run", "--label", "it.dry",
        "--unit-dir", tmp.resolve("units").toString(), "--state-dir", tmp.resolve("state").toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String out = result.stdout();
    assertThat(out)
        .startsWith("Dry run: install 'it.dry' would do the following (nothing was changed):\n")
        .contains("  note: the sidecar answered --validate-service-install:")
        .contains("  write " + tmp.resolve("units/it.dry.service") + " (UTF-8)\n")
        .contains("    | WantedBy=default.target\n")
        .contains("  run systemctl --user daemon-reload\n")
        .contains("  run systemctl --user enable it.dry.service\n")
        .contains("  run systemctl --user restart it.dry.service\n");
    assertThat(execStart(out))
        .contains(" -jar " + BgsProcess.jar().toAbsolutePath() + " serve --label it.dry --state-dir "
            + tmp.resolve("state"));
    assertThat(tmp.resolve("units")).doesNotExist();
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void dryRunOfASystemdSystemServiceUsesTheSystemManager() throws Exception {
    BgsProcess.Result result = bgs(
        "install", "--manager", "systemd", "--system", "--autostart", "--dry-run", "--label", "it.dry",
        "--unit-dir", tmp.resolve("units").toString(), "--state-dir", tmp.resolve("state").toString(),
        "--service", "dev.bgservice.demo.TickerService");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String out = result.stdout();
    assertThat(out)
        .contains("  write " + tmp.resolve("units/it.dry.service") + " (UTF-8)\n")
        .contains("    | WantedBy=multi-user.target\n")
        .contains("  run systemctl daemon-reload\n")
        .contains("  run systemctl enable it.dry.service\n")
        .contains("  run systemctl restart it.dry.service\n")
        .doesNotContain("systemctl --user");
    assertThat(execStart(out))
        .contains(" -jar " + BgsProcess.jar().toAbsolutePath())
        .endsWith(" --service dev.bgservice.demo.TickerService");
    assertThat(tmp.resolve("units")).doesNotExist();
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void dryRunOfALaunchdAgentWorksOnAnyOs() throws Exception {
    Path agents = tmp.resolve("agents");
    BgsProcess.Result result = bgs(
        "install", "--manager", "launchd", "--autostart", "--dry-run", "--label", "it.dry",
        "--unit-dir", agents.toString(), "--state-dir", tmp.resolve("state").toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Path plist = agents.resolve("it.dry.plist");
    assertThat(result.stdout())
        .contains("  write " + plist + " (UTF-8)\n")
        .contains("    | \t\t<string>" + BgsProcess.jar().toAbsolutePath() + "</string>\n")
        .contains("    | \t<key>RunAtLoad</key>\n    | \t<true/>\n")
        .containsPattern("  run launchctl bootstrap gui/\\d+ " + java.util.regex.Pattern.quote(plist.toString()) + "\n")
        .containsPattern("  run launchctl kickstart gui/\\d+/it.dry\n");
    assertThat(agents).doesNotExist();
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void detachedInstallStartStatusStopUninstallLeavesNothingBehind() throws Exception {
    Path socket = tmp.resolve("run").resolve(LABEL + ".sock");

    BgsProcess.Result install = service("install", "--no-start", "--state-dir", tmp.resolve("state").toString());
    assertThat(install.exitCode()).as(install.stderr()).isZero();
    assertThat(install.stdout()).startsWith("installed 'it.cycle' (detached user)\n")
        .contains("  wrote " + detachedDir().resolve("it.cycle.json") + "\n");
    assertThat(status().get("state").asText()).isEqualTo("stopped");
    assertThat(detachedDir().resolve("it.cycle.pid")).doesNotExist();

    BgsProcess.Result start = service("service", "start");
    assertThat(start.exitCode()).as(start.stderr()).isZero();
    assertThat(start.stdout()).startsWith("started 'it.cycle' (detached user)\n");
    // The process that started the sidecar has exited; the sidecar lives on and answers.
    ProcessHandle first = awaitAnswering(socket);
    assertThat(pidFileProcess(detachedDir().resolve("it.cycle.pid"))).contains(first);
    BgsProcess.Result human = service("service", "status");
    assertThat(human.stdout().strip())
        .isEqualTo("it.cycle (detached user): running, pid " + first.pid() + ", manual start [running]");

    BgsProcess.Result stop = service("service", "stop");
    assertThat(stop.exitCode()).as(stop.stderr()).isZero();
    assertThat(stop.stdout()).contains("  stopped process " + first.pid() + "\n");
    assertThat(first.isAlive()).isFalse();
    assertThat(socket).doesNotExist();
    assertThat(detachedDir().resolve("it.cycle.pid")).doesNotExist();
    assertThat(status().get("state").asText()).isEqualTo("stopped");
    assertThat(bgs("is-running", "--label", LABEL).exitCode()).isEqualTo(ExitCodes.UNREACHABLE);

    // Installing over the stopped service replaces it and, by default, starts it.
    BgsProcess.Result reinstall = service("install", "--state-dir", tmp.resolve("state").toString());
    assertThat(reinstall.exitCode()).as(reinstall.stderr()).isZero();
    ProcessHandle second = awaitAnswering(socket);

    BgsProcess.Result uninstall = service("uninstall");
    assertThat(uninstall.exitCode()).as(uninstall.stderr()).isZero();
    assertThat(uninstall.stdout()).startsWith("uninstalled 'it.cycle' (detached user)\n")
        .contains("  stopped process " + second.pid() + "\n");
    assertThat(second.isAlive()).isFalse();
    assertThat(socket).doesNotExist();
    assertThat(detachedDir()).doesNotExist();
    try (Stream<Path> run = Files.list(tmp.resolve("run"))) {
      assertThat(run).isEmpty();
    }
    JsonNode gone = status();
    assertThat(gone.get("installed").asBoolean()).isFalse();
    assertThat(gone.get("state").asText()).isEqualTo("not_installed");
  }

  @Test
  void aSidecarThatFailsTheProbeIsNotInstalled() throws Exception {
    // This bgs finds the class on its own class path; the installed host, run from the bgs jar
    // alone, would not. The probe runs the real command line and catches it.
    Path testClasses = Path.of(ClassPathOnlyService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", BgsProcess.jar().toAbsolutePath() + File.pathSeparator + testClasses,
        Bgs.class.getName(),
        "install", "--manager", "detached", "--unit-dir", detachedDir().toString(), "--label", LABEL,
        "--state-dir", tmp.resolve("state").toString(), "--service", ClassPathOnlyService.class.getName());

    BgsProcess.Result result = BgsProcess.run(command, environment);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.stderr().lines().toList()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("bgs: The sidecar exited with status 1")
        .contains("cannot load service class " + ClassPathOnlyService.class.getName())
        .contains("--validate-service-install"));
    assertThat(detachedDir()).doesNotExist();
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void badInputIsOneLineAndExitCode2() throws Exception {
    String dir = detachedDir().toString();
    assertUsage(bgs("install", "--manager", "systemd", "--label", "my sync", "--dry-run"),
        "bgs: The service label 'my sync' cannot be used with systemd: it may only contain ASCII letters,"
            + " digits, ':', '_', '.' and '-'; found a space.");
    assertUsage(bgs("install", "--manager", "detached", "--system", "--unit-dir", dir, "--dry-run"),
        "bgs: The detached mode has no system services; use the other scope.");
    assertUsage(bgs("install", "--manager", "detached", "--unit-dir", dir, "--service", "com.example.Missing"),
        "bgs: cannot load service class com.example.Missing: com.example.Missing");
    assertUsage(bgs("install", "--manager", "detached", "--unit-dir", dir, "--autostart"),
        "bgs: The detached mode has no service manager to start 'bgservice' at login or boot;"
            + " install it without autostart.");
    assertUsage(bgs("service", "status", "--manager", "detached", "--unit-dir", dir, "--label", "a..b"),
        "bgs: service label must not contain '..': a..b");
    assertThat(detachedDir()).doesNotExist();

    // Parse errors add a pointer to the help.
    BgsProcess.Result both = bgs("install", "--user", "--system");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.stderr()).startsWith("bgs: Error: --user, --system are mutually exclusive");
    BgsProcess.Result manager = bgs("service", "stop", "--manager", "upstart");
    assertThat(manager.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(manager.stderr()).startsWith("bgs: Invalid value for option '--manager': unknown service manager 'upstart'");
    BgsProcess.Result bare = bgs("service");
    assertThat(bare.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bare.stderr()).startsWith("bgs: Missing subcommand: start, stop, restart or status");
  }

  @Test
  void operationsOnAServiceThatIsNotInstalledFailWithExitCode1() throws Exception {
    for (String operation : List.of("start", "stop", "restart")) {
      BgsProcess.Result result = service("service", operation);
      assertThat(result.exitCode()).as(operation).isEqualTo(ExitCodes.FAILED);
      assertThat(result.stderr().lines().toList()).as(operation).containsExactly(
          "bgs: No service 'it.cycle' is installed (looked for " + detachedDir().resolve("it.cycle.json") + ")");
    }
    BgsProcess.Result uninstall = service("uninstall", "--verbose");
    assertThat(uninstall.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(uninstall.stderr()).startsWith("bgs: No service 'it.cycle' is installed")
        .as("--verbose adds the stack trace").contains("\tat dev.bgservice.os.");
    BgsProcess.Result status = service("service", "status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.stdout().strip()).isEqualTo("it.cycle (detached user): not installed");
  }

  private Path detachedDir() {
    return tmp.resolve("detached");
  }

  /** Runs bgs with the test's private directories. */
  private BgsProcess.Result bgs(String... args) throws Exception {
    return BgsProcess.run(BgsProcess.command(args), environment);
  }

  /** Runs a bgs command on the detached test service. */
  private BgsProcess.Result service(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--manager", "detached", "--unit-dir", detachedDir().toString(), "--label", LABEL));
    return bgs(all.toArray(String[]::new));
  }

  private JsonNode status() throws Exception {
    BgsProcess.Result result = service("service", "status", "--json");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return JSON.readTree(result.stdout());
  }

  /** Waits until the sidecar answers on its socket; returns its process, as status reports it. */
  private ProcessHandle awaitAnswering(Path socket) throws Exception {
    JsonNode running = status();
    assertThat(running.get("state").asText()).isEqualTo("running");
    ProcessHandle process = ProcessHandle.of(running.get("pid").asLong()).orElseThrow();
    sidecars.add(process);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(socket));
    BgsProcess.Result answer = bgs("is-running", "--label", LABEL);
    assertThat(answer.exitCode()).as(answer.stderr()).isZero();
    assertThat(answer.stdout().strip()).as("the sidecar is up; its service was never started").isEqualTo("false");
    return process;
  }

  private static Optional<ProcessHandle> pidFileProcess(Path pidFile) throws IOException {
    return Files.exists(pidFile) ? PidRecord.fromJson(Files.readString(pidFile)).liveProcess() : Optional.empty();
  }

  private static String execStart(String dryRun) {
    return dryRun.lines()
        .filter(line -> line.startsWith("    | ExecStart="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ExecStart line in:\n" + dryRun));
  }

  private static void assertUsage(BgsProcess.Result result, String line) {
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr().lines().toList()).containsExactly(line);
    assertThat(result.stdout()).isEmpty();
  }
}
