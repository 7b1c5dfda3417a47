package dev.bgservice.os.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.fixtures.FakeSidecar;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-install probe against real child JVMs that answer well, badly or not at all. */
class InstallProbeTest {
  @TempDir Path temp;

  private LaunchSpec spec(String... args) {
    return TestJvm.spec(FakeSidecar.class, temp, args);
  }

  @Test
  void acceptsAGoodAnswer() {
    ProbeResult result = new InstallProbe().probe(spec("--service-label", "sync"), "sync");
    assertThat(result.bgserviceVersion()).isEqualTo("0.1.0");
    assertThat(result.protocol()).isEqualTo(2);
    assertThat(result.label()).isEqualTo("sync");
    assertThat(result.argv()).endsWith("--service-label", "sync", LaunchSpec.VALIDATE_FLAG);
  }

  @Test
  void refusesAnotherLabel() {
    assertThatThrownBy(() -> new InstallProbe().probe(spec("--service-label", "other"), "sync"))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("would serve the label 'other', not 'sync'");
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> new InstallProbe().probe(spec("--print", "hello, world"), "sync"))
        .isInstanceOf(OsServiceException.class)
        .satisfies(e -> assertThat(((OsServiceException) e).code()).isEqualTo(OsServiceException.VALIDATION_FAILED))
        .hasMessageContaining("did not print a JSON line")
        .hasMessageContaining("hello, world");
  }

  @Test
  void refusesJsonWithoutTheRequiredFields() {
    assertThatThrownBy(() -> new InstallProbe().probe(spec("--print", "{\"protocol\":2,\"label\":\"sync\"}"), "sync"))
        .hasMessageContaining("without a bgservice version");
    assertThatThrownBy(() -> new InstallProbe().probe(
            spec("--print", "{\"bgservice\":\"0.1.0\",\"protocol\":0,\"label\":\"sync\"}"), "sync"))
        .hasMessageContaining("protocol version of 1 or more");
    assertThatThrownBy(() -> new InstallProbe().probe(
            spec("--print", "{\"bgservice\":\"0.1.0\",\"protocol\":\"2\",\"label\":\"sync\"}"), "sync"))
        .hasMessageContaining("protocol version of 1 or more");
    assertThatThrownBy(() -> new InstallProbe().probe(spec("--print", "[1,2]"), "sync"))
        .hasMessageContaining("did not print a JSON line");
  }

  @Test
  void reportsANonZeroExitWithItsError() {
    assertThatThrownBy(() -> new InstallProbe().probe(spec("--exit", "3"), "sync"))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("exited with status 3 (boom)");
  }

  @Test
  void killsASidecarThatDoesNotAnswer() throws Exception {
    Path pidFile = temp.resolve("hang.pid");
    InstallProbe probe = new InstallProbe(Duration.ofSeconds(3));
    assertThatThrownBy(() -> probe.probe(spec("--hang", pidFile.toString()), "sync"))
        .isInstanceOf(OsServiceException.class)
        .satisfies(e -> assertThat(((OsServiceException) e).code()).isEqualTo(ErrorCode.TIMEOUT))
        .hasMessageContaining("did not answer");
    // No child of this JVM runs the hanging fixture any more.
    assertThat(ProcessHandle.current().children()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(pidFile.toString())).orElse(false)))
        .isEmpty();
    // The fixture wrote its pid before hanging, unless its JVM was slower than the timeout.
    if (Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    }
  }

  @Test
  void reportsAProgramThatCannotStart() {
    LaunchSpec missing = spec().toBuilder().javaExecutable(temp.resolve("no-such-java")).build();
    assertThatThrownBy(() -> new InstallProbe().probe(missing, "sync"))
        .isInstanceOf(OsServiceException.class)
        .hasMessageContaining("could not be started");
  }
}
