package dev.bgservice.status;

import static dev.bgservice.status.SetupValidator.CODE_JAVA_VERSION;
import static dev.bgservice.status.SetupValidator.CODE_RUNTIME_DIR;
import static dev.bgservice.status.SetupValidator.CODE_SERVICE_ENABLED;
import static dev.bgservice.status.SetupValidator.CODE_SERVICE_INSTALLED;
import static dev.bgservice.status.SetupValidator.CODE_SERVICE_LABEL;
import static dev.bgservice.status.SetupValidator.CODE_SERVICE_MANAGER;
import static dev.bgservice.status.SetupValidator.CODE_SIDECAR_REACHABLE;
import static dev.bgservice.status.SetupValidator.CODE_SOCKET_PATH;
import static dev.bgservice.status.SetupValidator.CODE_STATE_DIR;
import static dev.bgservice.status.SetupValidator.CODE_USER_LINGERING;
import static dev.bgservice.status.SetupValidator.CODE_USER_SERVICE_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.platform.ScriptDir;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupValidatorTest {

  private static final String USER = System.getProperty("user.name");

  @TempDir Path tmp;

  private Path bin() throws IOException {
    return Files.createDirectories(tmp.resolve("bin"));
  }

  private Path privateDir(String name) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(name));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }

  /** An OS-service setup on Linux where everything is in order. */
  private SetupValidator.Builder healthyLinuxService(ScriptDir tools) throws IOException {
    tools.script("systemctl", SystemFactsTest.systemctl("running", 0));
    tools.script("loginctl", SystemFactsTest.loginctl(USER, "yes"));
    Path runtime = privateDir("run");
    return SetupValidator.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(new SystemFacts(OperatingSystem.LINUX, tools.commands()))
        .label("dev.example.ticker")
        .stateDirectory(tmp.resolve("state"))
        .runtimeDirectory(runtime)
        .socketPath(runtime.resolve("t.sock"))
        .installation(installation(Optional.of(true), Optional.of(true)))
        .sidecar(() -> Optional.of(true));
  }

  private static ServiceInstallationProbe installation(
      Optional<Boolean> installed, Optional<Boolean> enabled) {
    return new ServiceInstallationProbe() {
      @Override
      public Optional<Boolean> installed() {
        return installed;
      }

      @Override
      public Optional<Boolean> enabled() {
        return enabled;
      }
    };
  }

  private static SetupCheck check(List<SetupCheck> checks, String code) {
    return checks.stream().filter(c -> c.code().equals(code)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + code + " in " + checks));
  }

  private static SetupCheck check(SetupValidator validator, String code) {
    return check(validator.checks(), code);
  }

  // ---- the whole report ----

  @Test
  void healthyOsServiceSetupPassesEveryCheckInOrder() throws IOException {
    SetupValidationReport report = healthyLinuxService(ScriptDir.in(bin())).build().validate();

    assertThat(report.checks()).extracting(SetupCheck::code).containsExactly(
        CODE_SERVICE_LABEL, CODE_JAVA_VERSION, CODE_STATE_DIR, CODE_RUNTIME_DIR,
        CODE_SOCKET_PATH, CODE_SERVICE_MANAGER, CODE_USER_SERVICE_MANAGER, CODE_USER_LINGERING,
        CODE_SERVICE_INSTALLED, CODE_SERVICE_ENABLED, CODE_SIDECAR_REACHABLE);
    assertThat(report.checks()).allSatisfy(
        c -> assertThat(c.status()).as(c.toString()).isEqualTo(CheckStatus.PASS));
    assertThat(report.ok()).isTrue();
    assertThat(report.issues()).isEmpty();
  }

  @Test
  void inProcessLeavesOutTheOsServiceChecks() {
    SetupValidationReport report = SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .label("ticker")
        .stateDirectory(tmp)
        .build()
        .validate();

    assertThat(report.checks()).extracting(SetupCheck::code)
        .containsExactly(CODE_SERVICE_LABEL, CODE_JAVA_VERSION, CODE_STATE_DIR);
    assertThat(report.ok()).isTrue();
  }

  @Test
  void warningsAloneKeepTheReportOk() throws IOException {
    ScriptDir tools = ScriptDir.in(bin());
    SetupValidator validator = healthyLinuxService(tools)
        .installation(installation(Optional.of(true), Optional.of(false)))
        .sidecar(() -> Optional.of(false))
        .build();
    tools.script("loginctl", SystemFactsTest.loginctl(USER, "no"));

    SetupValidationReport report = validator.validate();

    assertThat(report.ok()).isTrue();
    assertThat(report.errors()).isEmpty();
    assertThat(report.warnings()).extracting(SetupIssue::code)
        .containsExactly(CODE_USER_LINGERING, CODE_SERVICE_ENABLED, CODE_SIDECAR_REACHABLE);
    assertThat(report.issues()).isEqualTo(report.warnings());
    SetupIssue lingering = report.warnings().get(0);
    assertThat(lingering.platform()).isEqualTo("linux");
    assertThat(lingering.message()).isEqualTo("Lingering is off for " + USER
        + ": the service starts only when " + USER + " logs in and stops at logout.");
    assertThat(lingering.fix()).contains("Run `loginctl enable-linger " + USER
        + "` so the service starts at boot without a login.");
  }

  @Test
  void anErrorMakesTheReportNotOk() throws IOException {
    SetupValidationReport report =
        healthyLinuxService(ScriptDir.in(bin())).label("../escape").build().validate();

    assertThat(report.ok()).isFalse();
    assertThat(report.errors()).extracting(SetupIssue::code).containsExactly(CODE_SERVICE_LABEL);
    assertThat(report.errors().get(0).message())
        .isEqualTo("The service label is not valid: "
            + "service label must not contain path separators ('/' or '\\'): ../escape.");
    assertThat(check(report.checks(), CODE_SERVICE_LABEL).status()).isEqualTo(CheckStatus.FAIL);
  }

  @Test
  void missingInputsAreUnknownAndRaiseNoIssue() {
    SetupValidationReport report = SetupValidator.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(new SystemFacts(OperatingSystem.MACOS, ScriptDir.in(tmp).commands()))
        .build()
        .validate();

    assertThat(report.checks()).extracting(SetupCheck::code, SetupCheck::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple(CODE_SERVICE_LABEL, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_JAVA_VERSION, CheckStatus.PASS),
        org.assertj.core.groups.Tuple.tuple(CODE_STATE_DIR, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_RUNTIME_DIR, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_SOCKET_PATH, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_SERVICE_MANAGER, CheckStatus.FAIL),
        org.assertj.core.groups.Tuple.tuple(CODE_SERVICE_INSTALLED, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_SERVICE_ENABLED, CheckStatus.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple(CODE_SIDECAR_REACHABLE, CheckStatus.UNKNOWN));
    assertThat(report.issues()).extracting(SetupIssue::code).containsExactly(CODE_SERVICE_MANAGER);
    assertThat(report.ok()).isTrue();
  }

  // ---- Java ----

  @Test
  void thisJvmIsNewEnough() {
    SetupCheck java = check(SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands())).build(),
        CODE_JAVA_VERSION);

    assertThat(java.status()).isEqualTo(CheckStatus.PASS);
    assertThat(java.message()).isEqualTo("This JVM is Java " + Runtime.version() + ".");
  }

  @Test
  void aRealJavaExecutableIsAskedForItsVersion() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assumeTrue(Files.isExecutable(java), "no java executable in java.home");

    SetupCheck check = check(javaValidator(java), CODE_JAVA_VERSION);

    assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.PASS);
    assertThat(check.message()).startsWith(java + " is Java " + Runtime.version().feature());
  }

  @Test
  void anOldJavaIsAnError() {
    ScriptDir tools = ScriptDir.in(tmp);
    Path java11 = tools.script("java11",
        "echo 'openjdk version \"11.0.22\" 2024-01-16' >&2");
    Path java8 = tools.script("java8", "echo 'java version \"1.8.0_392\"' >&2");

    SetupCheck eleven = check(javaValidator(java11), CODE_JAVA_VERSION);
    SetupCheck eight = check(javaValidator(java8), CODE_JAVA_VERSION);

    assertThat(eleven.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(eleven.severity()).contains(Severity.ERROR);
    assertThat(eleven.message())
        .isEqualTo(java11 + " is Java 11.0.22, older than the Java 17 the service needs.");
    assertThat(eleven.fix()).isPresent();
    assertThat(eight.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(eight.message()).startsWith(java8 + " is Java 1.8.0_392, older");
  }

  @Test
  void aNewJavaPassesAndAnUnreadableOneIsUnknown() {
    ScriptDir tools = ScriptDir.in(tmp);
    Path java25 = tools.script("java25", "echo 'openjdk version \"25\" 2025-09-16' >&2");
    Path garbage = tools.script("garbage", "echo 'no idea'");

    assertThat(check(javaValidator(java25), CODE_JAVA_VERSION).status())
        .isEqualTo(CheckStatus.PASS);
    SetupCheck unreadable = check(javaValidator(garbage), CODE_JAVA_VERSION);
    assertThat(unreadable.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(unreadable.message()).startsWith("Could not read the version of " + garbage);
  }

  @Test
  void aMissingJavaIsAnError() {
    Path missing = tmp.resolve("no-such-java");

    SetupCheck check = check(javaValidator(missing), CODE_JAVA_VERSION);

    assertThat(check.severity()).contains(Severity.ERROR);
    assertThat(check.message())
        .isEqualTo("The Java runtime " + missing + " does not exist or is not executable.");
  }

  private SetupValidator javaValidator(Path java) {
    return SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .javaExecutable(java)
        .build();
  }

  // ---- state directory ----

  private SetupCheck stateCheck(Path dir) {
    return check(SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .stateDirectory(dir)
        .build(), CODE_STATE_DIR);
  }

  @Test
  void writableStateDirectoryPassesAndTheProbeLeavesNothingBehind() throws IOException {
    Path state = Files.createDirectory(tmp.resolve("state"));

    SetupCheck check = stateCheck(state);

    assertThat(check.status()).isEqualTo(CheckStatus.PASS);
    assertThat(check.message()).isEqualTo("The state directory " + state + " is writable.");
    try (var files = Files.list(state)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingStateDirectoryThatCanBeCreatedPassesWithoutBeingCreated() {
    Path state = tmp.resolve("a").resolve("b").resolve("state");

    SetupCheck check = stateCheck(state);

    assertThat(check.status()).isEqualTo(CheckStatus.PASS);
    assertThat(check.message())
        .isEqualTo("The state directory " + state + " does not exist yet and can be created.");
    assertThat(tmp.resolve("a")).doesNotExist();
  }

  @Test
  void stateDirectoryThatIsAFileIsAnError() throws IOException {
    Path file = Files.writeString(tmp.resolve("state"), "not a directory");

    SetupCheck check = stateCheck(file);

    assertThat(check.severity()).contains(Severity.ERROR);
    assertThat(check.message()).isEqualTo("The state directory " + file + " is not a directory.");
  }

  @Test
  void unwritableStateDirectoryIsAnError() throws IOException {
    Path state = Files.createDirectory(tmp.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-x------"));
    try {
      assumeWritePermissionsBite(state);

      SetupCheck check = stateCheck(state);

      assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(check.severity()).contains(Severity.ERROR);
      assertThat(check.message()).isEqualTo(
          "Cannot write to the state directory " + state + " (permission denied).");
      assertThat(check.fix()).hasValueSatisfying(f -> assertThat(f).contains("chmod u+rwx"));
      // ...and a state directory that would have to be created inside it cannot be.
      SetupCheck nested = stateCheck(state.resolve("inner"));
      assertThat(nested.severity()).contains(Severity.ERROR);
      assertThat(nested.message()).contains("does not exist and cannot be created");
    } finally {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Root writes anywhere: permission tests say so and skip instead of passing vacuously. */
  private static void assumeWritePermissionsBite(Path readOnlyDir) {
    boolean bites = !Files.isWritable(readOnlyDir);
    if (!bites) {
      System.out.println("Skipping: permissions do not stop this user (" + USER
          + ") from writing to a read-only directory; run the tests as a normal user.");
    }
    assumeTrue(bites, "file permissions do not bind user " + USER);
  }

  // ---- runtime directory and socket path ----

  private SetupCheck runtimeCheck(Path dir) {
    return check(SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .runtimeDirectory(dir)
        .build(), CODE_RUNTIME_DIR);
  }

  @Test
  void privateRuntimeDirectoryPasses() throws IOException {
    Path run = privateDir("run");

    SetupCheck check = runtimeCheck(run);

    assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.PASS);
    assertThat(check.message())
        .isEqualTo("The runtime directory " + run + " belongs to " + USER + " and is private.");
  }

  @Test
  void runtimeDirectoryOpenToOthersIsAnError() throws IOException {
    Path run = privateDir("run");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));

    SetupCheck check = runtimeCheck(run);

    assertThat(check.severity()).contains(Severity.ERROR);
    assertThat(check.message()).isEqualTo(
        "The runtime directory " + run + " is not private: its permissions are rwxr-x---.");
    assertThat(check.fix()).contains("Run `chmod 700 '" + run + "'`.");
  }

  @Test
  void missingRuntimeDirectoryIsAnError() {
    Path run = tmp.resolve("missing");

    SetupCheck check = runtimeCheck(run);

    assertThat(check.severity()).contains(Severity.ERROR);
    assertThat(check.message()).isEqualTo("The runtime directory " + run + " does not exist.");
  }

  @Test
  void runtimeDirectoryOfAnotherUserIsAnError() throws IOException {
    Path run;
    String owner;
    if ("root".equals(USER)) {
      // Root can give a directory away; everybody else checks a directory root owns.
      run = privateDir("run");
      UserPrincipal nobody;
      try {
        nobody = FileSystems.getDefault().getUserPrincipalLookupService()
            .lookupPrincipalByName("nobody");
      } catch (IOException e) {
        assumeTrue(false, "no user 'nobody' to give a directory to");
        return;
      }
      Files.setOwner(run, nobody);
      owner = nobody.getName();
    } else {
      run = tmp.getRoot();
      owner = Files.getOwner(run).getName();
      assumeTrue(!owner.equals(USER), "the root directory belongs to this user");
    }

    SetupCheck check = runtimeCheck(run);

    assertThat(check.severity()).contains(Severity.ERROR);
    assertThat(check.message()).isEqualTo(
        "The runtime directory " + run + " belongs to " + owner + ", not to " + USER + ".");
  }

  private SetupCheck socketCheck(OperatingSystem os, Path socket) {
    return check(SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(os, ScriptDir.in(tmp).commands()))
        .socketPath(socket)
        .build(), CODE_SOCKET_PATH);
  }

  @Test
  void socketPathMustFitThePlatformLimit() {
    // "/" + 101 characters + ".sock" = 107 bytes.
    Path fits = Path.of("/" + "x".repeat(101) + ".sock");
    Path tooLong = Path.of("/" + "x".repeat(102) + ".sock");

    assertThat(socketCheck(OperatingSystem.LINUX, fits).message())
        .isEqualTo("The socket path " + fits + " uses 107 of 107 bytes.");
    SetupCheck linux = socketCheck(OperatingSystem.LINUX, tooLong);
    assertThat(linux.severity()).contains(Severity.ERROR);
    assertThat(linux.message()).isEqualTo("The socket path " + tooLong
        + " is 108 bytes long, more than the 107 bytes linux allows.");
    assertThat(socketCheck(OperatingSystem.MACOS, fits).message())
        .endsWith(" is 107 bytes long, more than the 103 bytes macos allows.");
  }

  @Test
  void socketPathLengthCountsBytesNotCharacters() {
    // 52 two-byte characters: 104 bytes, 53 characters with the slash.
    Path socket = Path.of("/" + "é".repeat(52));

    SetupCheck check = check(SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .socketPath(socket, 100)
        .build(), CODE_SOCKET_PATH);

    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.message()).contains(" is 105 bytes long, more than the 100 bytes");
  }

  // ---- service manager, lingering, installation, sidecar ----

  @Test
  void withoutSystemctlTheSidecarRunsDetachedWhichIsAWarning() throws IOException {
    ScriptDir tools = ScriptDir.in(bin());
    SetupValidator validator = healthyLinuxService(tools).build();
    Files.delete(tools.dir().resolve("systemctl"));

    List<SetupCheck> checks = validator.checks();

    SetupCheck manager = check(checks, CODE_SERVICE_MANAGER);
    assertThat(manager.severity()).contains(Severity.WARNING);
    assertThat(manager.message()).startsWith("No service manager is available "
        + "(`systemctl` was not found on the PATH), so the sidecar runs detached");
    assertThat(check(checks, CODE_USER_SERVICE_MANAGER).status())
        .isEqualTo(CheckStatus.UNKNOWN);
    assertThat(validator.validate().ok()).isTrue();
  }

  @Test
  void offlineUserInstanceIsAWarning() throws IOException {
    ScriptDir tools = ScriptDir.in(bin());
    SetupValidator validator = healthyLinuxService(tools).build();
    tools.script("systemctl", SystemFactsTest.systemctl("offline", 1));

    SetupCheck check = check(validator, CODE_USER_SERVICE_MANAGER);

    assertThat(check.severity()).contains(Severity.WARNING);
    assertThat(check.message()).startsWith(
        "The systemd user instance is not usable (the systemd user instance is offline)");
  }

  @Test
  void hangingSystemToolsAreUnknownNotStuck() throws IOException {
    ScriptDir tools = ScriptDir.in(bin());
    tools.script("systemctl", "exec sleep 300");
    tools.script("loginctl", "exec sleep 300");

    List<SetupCheck> checks = SetupValidator.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(new SystemFacts(
            OperatingSystem.LINUX, tools.commands().withTimeout(Duration.ofMillis(300))))
        .build()
        .checks();

    assertThat(check(checks, CODE_SERVICE_MANAGER).status()).isEqualTo(CheckStatus.PASS);
    SetupCheck user = check(checks, CODE_USER_SERVICE_MANAGER);
    assertThat(user.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(user.message()).contains("did not answer in time");
    assertThat(check(checks, CODE_USER_LINGERING).status()).isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void notInstalledIsAWarningAndEnabledIsThenNotAsked() throws IOException {
    SetupValidator validator = healthyLinuxService(ScriptDir.in(bin()))
        .installation(new ServiceInstallationProbe() {
          @Override
          public Optional<Boolean> installed() {
            return Optional.of(false);
          }

          @Override
          public Optional<Boolean> enabled() {
            throw new AssertionError("enabled() must not be asked when not installed");
          }
        })
        .build();

    List<SetupCheck> checks = validator.checks();

    SetupCheck installed = check(checks, CODE_SERVICE_INSTALLED);
    assertThat(installed.severity()).contains(Severity.WARNING);
    assertThat(installed.fix()).contains("Run `bgs install --autostart` to install it as an OS service.");
    assertThat(check(checks, CODE_SERVICE_ENABLED).message())
        .isEqualTo("Not checked: the sidecar is not installed as an OS service.");
  }

  @Test
  void probesThatThrowOrCannotTellAreUnknown() throws IOException {
    SetupValidator validator = healthyLinuxService(ScriptDir.in(bin()))
        .installation(new ServiceInstallationProbe() {
          @Override
          public Optional<Boolean> installed() {
            throw new IllegalStateException("systemctl is not answering");
          }

          @Override
          public Optional<Boolean> enabled() {
            return Optional.empty();
          }
        })
        .sidecar(() -> {
          throw new IllegalStateException("socket path is not configured");
        })
        .build();

    List<SetupCheck> checks = validator.checks();

    assertThat(check(checks, CODE_SERVICE_INSTALLED)).isEqualTo(SetupCheck.unknown(
        CODE_SERVICE_INSTALLED, "Could not tell whether the sidecar is installed as an OS "
            + "service: systemctl is not answering."));
    assertThat(check(checks, CODE_SERVICE_ENABLED).status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(check(checks, CODE_SIDECAR_REACHABLE).message()).endsWith(
        ": socket path is not configured.");
  }

  // ---- additional checks ----

  @Test
  void additionalChecksRunLastAndMayFail() {
    SetupValidationReport report = SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, ScriptDir.in(tmp).commands()))
        .additionalCheck("state_file", () -> SetupCheck.fail("state_file", Severity.ERROR,
            "The desired state file was corrupt and was moved aside.", "Check the copy."))
        .additionalCheck("flaky", () -> {
          throw new IllegalStateException("boom");
        })
        .build()
        .validate();

    assertThat(report.checks()).extracting(SetupCheck::code)
        .endsWith("state_file", "flaky");
    assertThat(check(report.checks(), "flaky"))
        .isEqualTo(SetupCheck.unknown("flaky", "The check could not run: boom."));
    assertThat(report.ok()).isFalse();
    assertThat(report.errors()).extracting(SetupIssue::code).containsExactly("state_file");
  }

  @Test
  void additionalCheckCodesMustBeUnique() {
    SetupValidator.Builder builder = SetupValidator.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .additionalCheck("x", () -> SetupCheck.pass("x", "fine"));

    assertThatThrownBy(() -> builder.additionalCheck("x", () -> SetupCheck.pass("x", "fine")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check with code x was already added");
  }
}
