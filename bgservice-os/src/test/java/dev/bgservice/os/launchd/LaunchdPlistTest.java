package dev.bgservice.os.launchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.AwkwardSpecs;
import dev.bgservice.os.testing.Golden;
import dev.bgservice.os.testing.PlistReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated plist, byte for byte; parsed by the JDK's XML parser and, where installed,
 * by libplist's {@code plistutil} (converted to binary and back), with every value read back.
 */
class LaunchdPlistTest {
  static final LaunchSpec APP = AwkwardSpecs.unixApplication(
      "/Library/Java/JavaVirtualMachines/jdk-17 \"LTS\" $HOME 100% <&> café.jdk/Contents/Home/bin/java");
  static final LaunchSpec JAR = AwkwardSpecs.unixHostJar("/usr/bin/java");

  @TempDir Path temp;

  static Stream<Arguments> plists() {
    return Stream.of(
        Arguments.of("launchd/agent-autostart.plist", AwkwardSpecs.definition(APP, true), Scope.USER),
        Arguments.of("launchd/agent-manual.plist", AwkwardSpecs.definition(APP, false), Scope.USER),
        Arguments.of("launchd/daemon-autostart.plist", AwkwardSpecs.systemDefinition(JAR, true), Scope.SYSTEM));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plists")
  void matchesGoldenFile(String golden, ServiceDefinition definition, Scope scope) {
    Golden.assertMatches(golden, LaunchdPlist.render(definition, scope));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plists")
  void theJdkParserReadsBackEveryValue(String golden, ServiceDefinition definition, Scope scope) throws Exception {
    assertValues(PlistReader.read(LaunchdPlist.render(definition, scope)), definition, scope);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plists")
  void plistutilReadsBackEveryValue(String golden, ServiceDefinition definition, Scope scope) throws Exception {
    Optional<Path> plistutil = Stream.of("/usr/bin/plistutil", "/usr/local/bin/plistutil", "/opt/homebrew/bin/plistutil")
        .map(Path::of).filter(Files::isExecutable).findFirst();
    if (plistutil.isEmpty()) {
      System.out.println("SKIPPED plistutil check: plistutil is not installed (Debian package 'libplist-utils')");
    }
    assumeTrue(plistutil.isPresent(), "plistutil is not installed");
    Path xml = temp.resolve("in.plist");
    Path binary = temp.resolve("out.bplist");
    Path back = temp.resolve("back.plist");
    Files.writeString(xml, LaunchdPlist.render(definition, scope), StandardCharsets.UTF_8);
    run(plistutil.get().toString(), "-i", xml.toString(), "-o", binary.toString(), "-f", "bin");
    assertThat(Files.size(binary)).as("binary plist size").isPositive();
    run(plistutil.get().toString(), "-i", binary.toString(), "-o", back.toString(), "-f", "xml");
    assertValues(PlistReader.read(Files.readString(back, StandardCharsets.UTF_8)), definition, scope);
  }

  @Test
  void keepAliveRestartsOnlyAfterAFailure() throws Exception {
    Map<String, Object> plist = PlistReader.read(LaunchdPlist.render(AwkwardSpecs.definition(APP, true), Scope.USER));
    assertThat(plist.get("KeepAlive")).isEqualTo(Map.of("SuccessfulExit", false));
    assertThat(plist.get("ThrottleInterval")).isEqualTo(5L);
    assertThat(plist.get("ExitTimeOut")).isEqualTo(30L);
  }

  @Test
  void refusesTextXmlCannotCarry() {
    LaunchSpec spec = APP.toBuilder().programArgs("bell\u0007").build();
    assertThatThrownBy(() -> LaunchdPlist.render(AwkwardSpecs.definition(spec, true), Scope.USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0007");
  }

  private static void assertValues(Map<String, Object> plist, ServiceDefinition definition, Scope scope) {
    LaunchSpec launch = definition.launch();
    assertThat(plist.get("Label")).isEqualTo(AwkwardSpecs.LABEL);
    assertThat(plist.get("ProgramArguments")).isEqualTo(launch.argv(":"));
    assertThat(plist.get("WorkingDirectory")).isEqualTo(launch.workingDirectory().map(Path::toString).orElse(null));
    assertThat(plist.get("RunAtLoad")).isEqualTo(definition.autostart());
    assertThat(plist.get("StandardOutPath")).isEqualTo(launch.stdoutLog().orElseThrow().toString());
    assertThat(plist.get("StandardErrorPath")).isEqualTo(launch.stderrLog().orElseThrow().toString());
    if (launch.environment().isEmpty()) {
      assertThat(plist).doesNotContainKey("EnvironmentVariables");
    } else {
      assertThat(plist.get("EnvironmentVariables")).isEqualTo(launch.environment());
    }
    assertThat(plist.get("UserName")).isEqualTo(scope == Scope.SYSTEM ? definition.runAs().orElseThrow() : null);
  }

  private static void run(String... argv) throws Exception {
    Process process = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", argv), output).isZero();
  }
}
