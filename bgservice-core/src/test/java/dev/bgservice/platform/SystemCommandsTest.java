package dev.bgservice.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemCommandsTest {

  @TempDir Path tmp;

  @Test
  void capturesOutputErrorAndExitCode() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("tool", "echo \"out $1 $2\"; echo 'err line' >&2; exit 3");

    CommandResult result = tools.commands().run("tool", "a b", "c");

    assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.EXITED);
    assertThat(result.exitCode()).isEqualTo(OptionalInt.of(3));
    assertThat(result.stdout()).isEqualTo("out a b c\n");
    assertThat(result.stderr()).isEqualTo("err line\n");
    assertThat(result.succeeded()).isFalse();
    assertThat(result.describe()).isEqualTo("`tool a b c` exited with code 3: err line");
  }

  @Test
  void zeroExitIsSuccess() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("tool", "echo running");

    CommandResult result = tools.commands().run("tool");

    assertThat(result.succeeded()).isTrue();
    assertThat(result.firstStdoutLine()).contains("running");
  }

  @Test
  void missingProgramIsNotAvailableNotAnException() {
    ScriptDir tools = ScriptDir.in(tmp);

    CommandResult result = tools.commands().run("systemctl", "--user", "is-system-running");

    assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.NOT_AVAILABLE);
    assertThat(result.exitCode()).isEmpty();
    assertThat(result.describe()).isEqualTo("`systemctl` was not found");
    assertThat(tools.commands().locate("systemctl")).isEmpty();
  }

  @Test
  void fileThatIsNotExecutableIsNotAvailable() throws IOException {
    ScriptDir tools = ScriptDir.in(tmp);
    Path file = tools.script("tool", "echo hi");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    // root may execute anything with any x bit, but this file has none at all.
    assertThat(tools.commands().run("tool").outcome())
        .isEqualTo(CommandResult.Outcome.NOT_AVAILABLE);
  }

  @Test
  void searchesDirectoriesInOrderAndRunsByAbsolutePath() throws IOException {
    Path first = Files.createDirectory(tmp.resolve("first"));
    Path second = Files.createDirectory(tmp.resolve("second"));
    ScriptDir.in(first).script("tool", "echo first");
    ScriptDir.in(second).script("tool", "echo second");
    ScriptDir.in(second).script("other", "echo other");
    SystemCommands commands = SystemCommands.withSearchPath(List.of(first, second));

    assertThat(commands.locate("tool")).contains(first.resolve("tool"));
    assertThat(commands.run("tool").stdout()).isEqualTo("first\n");
    assertThat(commands.run("other").stdout()).isEqualTo("other\n");
    assertThat(commands.run(second.resolve("tool").toString()).stdout()).isEqualTo("second\n");
  }

  @Test
  void childRunsInTheCLocaleWithTheUsualPath() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("tool", "echo \"$LC_ALL\"; command -v sleep >/dev/null && echo found-sleep");

    assertThat(tools.commands().run("tool").stdout()).isEqualTo("C\nfound-sleep\n");
  }

  @Test
  void hangingCommandIsKilledWithItsChildrenAndKeepsEarlyOutput() throws IOException {
    ScriptDir tools = ScriptDir.in(tmp);
    Path pids = tmp.resolve("pids");
    tools.script("tool",
        "echo $$ > " + ScriptDir.shellQuoted(pids.toString()) + "\n"
            + "sleep 300 &\n"
            + "echo $! >> " + ScriptDir.shellQuoted(pids.toString()) + "\n"
            + "echo partial\n"
            + "wait");

    CommandResult result = tools.commands().run(Duration.ofMillis(500), List.of("tool"));

    assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.TIMED_OUT);
    assertThat(result.exitCode()).isEmpty();
    assertThat(result.stdout()).isEqualTo("partial\n");
    assertThat(result.describe()).isEqualTo("`tool` did not answer in time and was stopped");
    List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertThat(started).hasSize(2);
    for (long pid : started) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(pid));
    }
  }

  @Test
  void outputBeyondTheCapIsDroppedWithoutBlockingTheCommand() {
    ScriptDir tools = ScriptDir.in(tmp);
    // Four times the cap, on both streams: a command that filled a pipe would hang.
    int size = SystemCommands.MAX_CAPTURED_BYTES * 4;
    tools.script("tool", "head -c " + size + " /dev/zero | tr '\\000' a\n"
        + "head -c " + size + " /dev/zero | tr '\\000' b >&2\n"
        + "exit 0");

    CommandResult result = tools.commands().run("tool");

    assertThat(result.succeeded()).isTrue();
    assertThat(result.stdout()).hasSize(SystemCommands.MAX_CAPTURED_BYTES).matches("a+");
    assertThat(result.stderr()).hasSize(SystemCommands.MAX_CAPTURED_BYTES).matches("b+");
  }

  @Test
  void rejectsAnEmptyCommandAndABadTimeout() {
    SystemCommands commands = SystemCommands.withSearchPath(List.of(tmp));

    assertThatThrownBy(() -> commands.run(Duration.ofSeconds(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command must not be empty");
    assertThatThrownBy(() -> commands.withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
  }

  @Test
  void systemRunnerUsesTheProcessPath() {
    SystemCommands commands = SystemCommands.system();

    assertThat(commands.timeout()).isEqualTo(SystemCommands.DEFAULT_TIMEOUT);
    assertThat(commands.searchPath()).allMatch(Path::isAbsolute);
  }

  /** Alive and not a zombie: a killed orphan may wait a while to be reaped by init. */
  private static boolean isRunning(long pid) throws IOException {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      if (!Files.exists(stat)) {
        return true;
      }
      try {
        String text = Files.readString(stat);
        // The state letter follows the ")" that closes the command name.
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
      } catch (IOException e) {
        return false; // vanished while we looked
      }
    }
    return false;
  }
}
