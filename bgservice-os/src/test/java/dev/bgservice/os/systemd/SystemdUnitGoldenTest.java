package dev.bgservice.os.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.AwkwardSpecs;
import dev.bgservice.os.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every generated unit, byte for byte. */
class SystemdUnitGoldenTest {
  static final LaunchSpec APP = AwkwardSpecs.unixApplication(AwkwardSpecs.UNIX_JAVA);
  static final LaunchSpec JAR = AwkwardSpecs.unixHostJar("/usr/lib/jvm/java-17/bin/java");

  @Test
  void userUnitWithAutostartOnSystemd254() {
    Golden.assertMatches(
        "systemd/user-autostart-v254.service",
        SystemdUnit.render(AwkwardSpecs.definition(APP, true), Scope.USER, 254));
  }

  @Test
  void userUnitWithAutostartOnSystemd252() {
    Golden.assertMatches(
        "systemd/user-autostart-v252.service",
        SystemdUnit.render(AwkwardSpecs.definition(APP, true), Scope.USER, 252));
  }

  @Test
  void userUnitWithoutAutostartOnSystemd254() {
    Golden.assertMatches(
        "systemd/user-manual-v254.service",
        SystemdUnit.render(AwkwardSpecs.definition(APP, false), Scope.USER, 254));
  }

  @Test
  void userUnitWithoutAutostartOnSystemd252() {
    Golden.assertMatches(
        "systemd/user-manual-v252.service",
        SystemdUnit.render(AwkwardSpecs.definition(APP, false), Scope.USER, 252));
  }

  @Test
  void systemUnitWithAutostartOnSystemd254() {
    Golden.assertMatches(
        "systemd/system-autostart-v254.service",
        SystemdUnit.render(AwkwardSpecs.systemDefinition(JAR, true), Scope.SYSTEM, 254));
  }

  @Test
  void systemUnitWithoutAutostartOnSystemd252() {
    Golden.assertMatches(
        "systemd/system-manual-v252.service",
        SystemdUnit.render(AwkwardSpecs.systemDefinition(JAR, false), Scope.SYSTEM, 252));
  }

  @Test
  void systemdOlderThan240SendsOutputToTheJournal() {
    Golden.assertMatches(
        "systemd/user-autostart-v239.service",
        SystemdUnit.render(AwkwardSpecs.definition(APP, true), Scope.USER, 239));
  }

  @Test
  void versionGatedSettingsFollowTheVersion() {
    ServiceDefinition definition = AwkwardSpecs.definition(APP, true);
    assertThat(SystemdUnit.render(definition, Scope.USER, 254))
        .contains("RestartSteps=5\n", "RestartMaxDelaySec=120\n");
    assertThat(SystemdUnit.render(definition, Scope.USER, 253))
        .doesNotContain("RestartSteps", "RestartMaxDelaySec");
    assertThat(SystemdUnit.render(definition, Scope.USER, 0))
        .doesNotContain("RestartSteps", "StandardOutput");
  }

  @Test
  void wantedByDependsOnScopeAndOnlyAppearsWithAutostart() {
    assertThat(SystemdUnit.render(AwkwardSpecs.definition(APP, true), Scope.USER, 254))
        .contains("[Install]\nWantedBy=default.target\n");
    assertThat(SystemdUnit.render(AwkwardSpecs.definition(APP, true), Scope.SYSTEM, 254))
        .contains("[Install]\nWantedBy=multi-user.target\n");
    assertThat(SystemdUnit.render(AwkwardSpecs.definition(APP, false), Scope.USER, 254))
        .doesNotContain("[Install]", "WantedBy");
  }

  @Test
  void refusesARelativeJavaPath() {
    LaunchSpec relative = AwkwardSpecs.unixHostJar("bin/java");
    assertThatThrownBy(() -> SystemdUnit.render(AwkwardSpecs.definition(relative, true), Scope.USER, 254))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute path");
  }

  @Test
  void refusesAPathWithAControlCharacter() {
    LaunchSpec spec = APP.toBuilder().workingDirectory(Path.of("/tmp/a\nb")).build();
    assertThatThrownBy(() -> SystemdUnit.render(AwkwardSpecs.definition(spec, true), Scope.USER, 254))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void defaultUnitDirectories() {
    Path home = Path.of("/home/zoë");
    assertThat(SystemdUnit.defaultUnitDirectory(Scope.USER, java.util.Map.of(), home))
        .isEqualTo(Path.of("/home/zoë/.config/systemd/user"));
    assertThat(SystemdUnit.defaultUnitDirectory(Scope.USER, java.util.Map.of("XDG_CONFIG_HOME", "/cfg"), home))
        .isEqualTo(Path.of("/cfg/systemd/user"));
    assertThat(SystemdUnit.defaultUnitDirectory(Scope.USER, java.util.Map.of("XDG_CONFIG_HOME", "rel"), home))
        .isEqualTo(Path.of("/home/zoë/.config/systemd/user"));
    assertThat(SystemdUnit.defaultUnitDirectory(Scope.SYSTEM, java.util.Map.of(), home))
        .isEqualTo(Path.of("/etc/systemd/system"));
  }
}
