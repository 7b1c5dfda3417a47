package dev.bgservice.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.platform.ScriptDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemFactsTest {

  @TempDir Path tmp;

  /** A systemctl that answers is-system-running with {@code state} and {@code code}. */
  static String systemctl(String state, int code) {
    // Any other command line fails loudly, so a wrong query cannot pass by accident.
    return "[ \"$*\" = '--user is-system-running' ] || { echo \"unexpected: $*\" >&2; exit 99; }\n"
        + "echo " + state + "\nexit " + code;
  }

  /** A loginctl that answers show-user for {@code user} with {@code linger}. */
  static String loginctl(String user, String linger) {
    return "[ \"$*\" = " + ScriptDir.shellQuoted("show-user " + user + " --property=Linger")
        + " ] || { echo \"unexpected: $*\" >&2; exit 99; }\n"
        + "echo Linger=" + linger;
  }

  private SystemFacts linux(ScriptDir tools) {
    return new SystemFacts(OperatingSystem.LINUX, tools.commands());
  }

  @Test
  void serviceManagerIsPresentWhenTheToolIsOnThePath() {
    ScriptDir tools = ScriptDir.in(tmp);
    assertThat(linux(tools).serviceManagerPresent().value()).contains(false);

    tools.script("systemctl", systemctl("running", 0));

    Observation present = linux(tools).serviceManagerPresent();
    assertThat(present.value()).contains(true);
    assertThat(present.detail()).isEqualTo("`systemctl` found at " + tmp.resolve("systemctl"));
  }

  @Test
  void eachPlatformHasItsOwnTool() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("launchctl", "exit 0");

    assertThat(new SystemFacts(OperatingSystem.MACOS, tools.commands()).serviceManagerPresent()
        .isYes()).isTrue();
    assertThat(linux(tools).serviceManagerPresent().isNo()).isTrue();
    Observation other = new SystemFacts(OperatingSystem.OTHER, tools.commands())
        .serviceManagerPresent();
    assertThat(other.isNo()).isTrue();
    assertThat(other.detail()).isEqualTo("bgservice knows no service manager on this platform");
  }

  @Test
  void userInstanceThatRunsOrIsDegradedIsUsable() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("systemctl", systemctl("running", 0));
    assertThat(linux(tools).userServiceManagerRunning())
        .isEqualTo(Observation.yes("the systemd user instance is running"));

    tools.script("systemctl", systemctl("degraded", 1));
    assertThat(linux(tools).userServiceManagerRunning())
        .isEqualTo(Observation.yes("the systemd user instance is degraded"));
  }

  @Test
  void userInstanceThatIsOfflineOrUnreachableIsNotUsable() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("systemctl", systemctl("offline", 1));
    assertThat(linux(tools).userServiceManagerRunning())
        .isEqualTo(Observation.no("the systemd user instance is offline"));

    tools.script("systemctl", "echo 'Failed to connect to bus: No medium found' >&2; exit 1");
    Observation unreachable = linux(tools).userServiceManagerRunning();
    assertThat(unreachable.isNo()).isTrue();
    assertThat(unreachable.detail()).isEqualTo("the systemd user instance does not answer: "
        + "`systemctl --user is-system-running` exited with code 1: "
        + "Failed to connect to bus: No medium found");
  }

  @Test
  void userInstanceIsUnknownWithoutSystemctlOrWhenItHangs() {
    ScriptDir tools = ScriptDir.in(tmp);
    assertThat(linux(tools).userServiceManagerRunning().isUnknown()).isTrue();

    tools.script("systemctl", "exec sleep 300");
    SystemFacts hanging = new SystemFacts(
        OperatingSystem.LINUX, tools.commands().withTimeout(Duration.ofMillis(300)));
    Observation answer = hanging.userServiceManagerRunning();
    assertThat(answer.isUnknown()).isTrue();
    assertThat(answer.detail()).contains("did not answer in time");
  }

  @Test
  void userInstanceIsUnknownOffLinux() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("systemctl", systemctl("running", 0));

    assertThat(new SystemFacts(OperatingSystem.MACOS, tools.commands())
        .userServiceManagerRunning().isUnknown()).isTrue();
  }

  @Test
  void lingeringIsReadFromLoginctl() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("loginctl", loginctl("alice", "yes"));
    assertThat(linux(tools).lingering("alice"))
        .isEqualTo(Observation.yes("lingering is on for alice"));

    tools.script("loginctl", loginctl("alice", "no"));
    assertThat(linux(tools).lingering("alice"))
        .isEqualTo(Observation.no("lingering is off for alice"));
  }

  @Test
  void userUnknownToLogindHasNoLingering() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("loginctl",
        "echo 'Failed to get user: User ID 1000 is not logged in or lingering' >&2; exit 1");

    assertThat(linux(tools).lingering("alice").value()).isEqualTo(Optional.of(false));
  }

  @Test
  void lingeringIsUnknownWhenLoginctlIsMissingFailsOrSaysNothing() {
    ScriptDir tools = ScriptDir.in(tmp);
    assertThat(linux(tools).lingering("alice"))
        .isEqualTo(Observation.unknown("`loginctl` was not found"));

    tools.script("loginctl", "echo 'Failed to connect to bus: Host is down' >&2; exit 1");
    assertThat(linux(tools).lingering("alice").isUnknown()).isTrue();

    tools.script("loginctl", "echo 'Something=else'");
    assertThat(linux(tools).lingering("alice").isUnknown()).isTrue();
  }
}
