package dev.bgservice.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.platform.ScriptDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilitiesProbeTest {

  private static final String USER = "alice";

  @TempDir Path tmp;

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

  private static final ServiceInstallationProbe INSTALLED_AND_ENABLED =
      installation(Optional.of(true), Optional.of(true));

  /** A Linux machine with systemd running for the user and lingering as given. */
  private ScriptDir linuxWithSystemd(String linger) {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("systemctl", SystemFactsTest.systemctl("running", 0));
    tools.script("loginctl", SystemFactsTest.loginctl(USER, linger));
    return tools;
  }

  private PlatformCapabilities osService(
      OperatingSystem os, ScriptDir tools, ServiceInstallationProbe probe) {
    return CapabilitiesProbe.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(new SystemFacts(os, tools.commands()))
        .user(USER)
        .installation(probe)
        .build()
        .probe();
  }

  @Test
  void inProcessSurvivesNothing() {
    PlatformCapabilities caps = CapabilitiesProbe.builder(LifecycleMode.DESKTOP_IN_PROCESS)
        .facts(new SystemFacts(OperatingSystem.LINUX, linuxWithSystemd("yes").commands()))
        .installation(INSTALLED_AND_ENABLED)
        .build()
        .probe();

    assertThat(caps.platform()).isEqualTo("linux");
    assertThat(caps.lifecycleMode()).isEqualTo(LifecycleMode.DESKTOP_IN_PROCESS);
    assertThat(caps.survivesAppClose()).isEqualTo(Support.UNSUPPORTED);
    assertThat(caps.survivesReboot()).isEqualTo(Support.UNSUPPORTED);
    assertThat(caps.survivesForceQuit()).isEqualTo(Support.UNSUPPORTED);
    assertThat(caps.backgroundExecution()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.limitations()).singleElement().asString()
        .startsWith("The service runs inside the app's JVM");
    assertThat(caps.requiredSetup()).isEmpty();
  }

  @Test
  void systemdServiceWithLingeringSurvivesEverything() {
    PlatformCapabilities caps =
        osService(OperatingSystem.LINUX, linuxWithSystemd("yes"), INSTALLED_AND_ENABLED);

    assertThat(caps.lifecycleMode()).isEqualTo(LifecycleMode.DESKTOP_OS_SERVICE);
    assertThat(caps.survivesAppClose()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.survivesReboot()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.survivesForceQuit()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.backgroundExecution()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.limitations()).isEmpty();
    assertThat(caps.requiredSetup()).isEmpty();
  }

  @Test
  void withoutLingeringRebootIsBestEffortAndTheFixIsNamed() {
    PlatformCapabilities caps =
        osService(OperatingSystem.LINUX, linuxWithSystemd("no"), INSTALLED_AND_ENABLED);

    assertThat(caps.survivesReboot()).isEqualTo(Support.BEST_EFFORT);
    assertThat(caps.survivesAppClose()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.limitations()).containsExactly("Lingering is off for alice: after a reboot "
        + "the service starts only when alice logs in, and it stops at logout.");
    assertThat(caps.requiredSetup()).containsExactly(
        "Run `loginctl enable-linger alice` so the service starts at boot without a login.");
  }

  @Test
  void unknownLingeringIsBestEffortWithTheReason() {
    ScriptDir tools = linuxWithSystemd("yes");
    tools.script("loginctl", "echo 'Failed to connect to bus: Host is down' >&2; exit 1");

    PlatformCapabilities caps = osService(OperatingSystem.LINUX, tools, INSTALLED_AND_ENABLED);

    assertThat(caps.survivesReboot()).isEqualTo(Support.BEST_EFFORT);
    assertThat(caps.limitations()).singleElement().asString()
        .startsWith("Could not tell whether lingering is on for alice (")
        .contains("Failed to connect to bus: Host is down");
  }

  @Test
  void installedButNotEnabledDoesNotSurviveAReboot() {
    PlatformCapabilities caps = osService(OperatingSystem.LINUX, linuxWithSystemd("yes"),
        installation(Optional.of(true), Optional.of(false)));

    assertThat(caps.survivesReboot()).isEqualTo(Support.UNSUPPORTED);
    assertThat(caps.survivesAppClose()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.requiredSetup()).containsExactly("Enable the OS service "
        + "(`bgs install --autostart`) so it comes back after a reboot.");
  }

  @Test
  void notInstalledRunsDetached() {
    PlatformCapabilities caps = osService(OperatingSystem.LINUX, linuxWithSystemd("yes"),
        installation(Optional.of(false), Optional.empty()));

    assertDetached(caps);
    assertThat(caps.requiredSetup()).singleElement().asString()
        .startsWith("Install the sidecar as an OS service (`bgs install --autostart`)");
  }

  @Test
  void withoutSystemctlTheSidecarRunsDetachedWhateverTheProbeSays() throws IOException {
    ScriptDir tools = linuxWithSystemd("yes");
    Files.delete(tools.dir().resolve("systemctl"));

    PlatformCapabilities caps = osService(OperatingSystem.LINUX, tools, INSTALLED_AND_ENABLED);

    assertDetached(caps);
    assertThat(caps.limitations()).first().asString().isEqualTo("No service manager is "
        + "available (`systemctl` was not found on the PATH), so the sidecar cannot run as an "
        + "OS service.");
  }

  @Test
  void offlineUserInstanceRunsDetachedAndSaysHowToFixIt() {
    ScriptDir tools = linuxWithSystemd("yes");
    tools.script("systemctl", SystemFactsTest.systemctl("offline", 1));

    PlatformCapabilities caps = osService(OperatingSystem.LINUX, tools, INSTALLED_AND_ENABLED);

    assertDetached(caps);
    assertThat(caps.requiredSetup()).singleElement().asString()
        .contains("`loginctl enable-linger alice`");
  }

  @Test
  void withoutAnInstallationProbeTheSidecarIsTakenToRunDetached() {
    PlatformCapabilities caps = CapabilitiesProbe.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(new SystemFacts(OperatingSystem.LINUX, linuxWithSystemd("yes").commands()))
        .user(USER)
        .build()
        .probe();

    assertDetached(caps);
    assertThat(caps.limitations()).contains("Could not tell whether the sidecar is installed as "
        + "an OS service, so this assumes it is not.");
  }

  @Test
  void launchdAgentComesBackAtLoginOnly() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("launchctl", "exit 0");

    PlatformCapabilities caps = osService(OperatingSystem.MACOS, tools, INSTALLED_AND_ENABLED);

    assertThat(caps.platform()).isEqualTo("macos");
    assertThat(caps.survivesReboot()).isEqualTo(Support.BEST_EFFORT);
    assertThat(caps.survivesAppClose()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.limitations())
        .containsExactly("A launchd user agent starts when alice logs in, not at boot.");
  }

  @Test
  void unknownPlatformHasNoServiceManager() {
    PlatformCapabilities caps =
        osService(OperatingSystem.OTHER, ScriptDir.in(tmp), INSTALLED_AND_ENABLED);

    assertThat(caps.platform()).isEqualTo("other");
    assertDetached(caps);
  }

  private static void assertDetached(PlatformCapabilities caps) {
    assertThat(caps.survivesAppClose()).isEqualTo(Support.GUARANTEED);
    assertThat(caps.survivesReboot()).isEqualTo(Support.UNSUPPORTED);
    assertThat(caps.survivesForceQuit()).isEqualTo(Support.BEST_EFFORT);
    assertThat(caps.limitations()).last().asString().startsWith("The sidecar runs detached");
  }
}
