package dev.bgservice.os.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.testing.AwkwardSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {

  @Test
  void forApplicationUsesThisJvm() {
    LaunchSpec spec = LaunchSpecs.forApplication("com.example.App", "sync", Path.of("state"));
    assertThat(Files.isExecutable(spec.javaExecutable())).isTrue();
    ClassPathTarget target = (ClassPathTarget) spec.target();
    assertThat(target.mainClass()).isEqualTo("com.example.App");
    assertThat(target.classPath()).isNotEmpty().allMatch(Path::isAbsolute);
    Path state = Path.of("state").toAbsolutePath();
    assertThat(spec.programArgs()).containsExactly("--service-label", "sync", "--state-dir", state.toString());
    assertThat(spec.workingDirectory()).hasValue(state);
    assertThat(spec.stdoutLog()).hasValue(state.resolve("logs/sync.stdout.log"));
    assertThat(spec.stderrLog()).hasValue(state.resolve("logs/sync.stderr.log"));
  }

  @Test
  void forHostJarBuildsTheServeCommand() {
    LaunchSpec spec = LaunchSpecs.forHostJar(
        Path.of("/usr/bin/java"), Path.of("/opt/bgs.jar"), "sync", Path.of("/var/state"),
        Optional.of("com.example.Svc"), Optional.of("/opt/lib/*"));
    assertThat(spec.argv(":")).containsExactly(
        "/usr/bin/java", "-jar", "/opt/bgs.jar", "serve", "--label", "sync", "--state-dir", "/var/state",
        "--service", "com.example.Svc", "--classpath", "/opt/lib/*");
    assertThat(spec.withExtraArgs(LaunchSpec.VALIDATE_FLAG).argv(":")).endsWith("/opt/lib/*", "--validate-service-install");
  }

  @Test
  void jarOfFindsTheJarAClassCameFrom() {
    assertThat(LaunchSpecs.jarOf(org.junit.jupiter.api.Test.class))
        .hasValueSatisfying(jar -> assertThat(jar.getFileName().toString()).startsWith("junit-jupiter-api").endsWith(".jar"));
    assertThat(LaunchSpecs.jarOf(LaunchSpecTest.class)).as("test classes are a directory").isEmpty();
  }

  @Test
  void checksItsValues() {
    LaunchSpec.Builder builder = LaunchSpec.builder(Path.of("/usr/bin/java"), new JarTarget(Path.of("/a.jar")));
    assertThatThrownBy(() -> builder.environment("BAD-NAME", "x").build()).hasMessageContaining("BAD-NAME");
    assertThatThrownBy(() -> LaunchSpec.builder(Path.of("/j"), new JarTarget(Path.of("/a.jar"))).jvmOptions("Xmx1g").build())
        .hasMessageContaining("must start with '-'");
    assertThatThrownBy(() -> new ClassPathTarget(List.of(), "a.B")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> new ClassPathTarget(List.of(Path.of("/a")), "not a class")).hasMessageContaining("not a Java class name");
    assertThatThrownBy(() -> LaunchSpecs.forApplication("a.B", "a/b", Path.of("/s"))).hasMessageContaining("path separators");
  }

  @Test
  void jsonRoundTrip() {
    for (LaunchSpec spec : List.of(
        AwkwardSpecs.unixApplication(AwkwardSpecs.UNIX_JAVA),
        AwkwardSpecs.unixHostJar("/usr/bin/java"),
        AwkwardSpecs.windowsApplication())) {
      assertThat(LaunchSpecJson.read(LaunchSpecJson.write(spec))).isEqualTo(spec);
    }
    assertThatThrownBy(() -> LaunchSpecJson.read("{")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> LaunchSpecJson.read("{\"jar\":\"/a.jar\"}")).hasMessageContaining("'java'");
  }
}
