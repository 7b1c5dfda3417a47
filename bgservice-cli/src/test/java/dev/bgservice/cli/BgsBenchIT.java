package dev.bgservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bgs bench} for real, small: the figures are not judged here (speed is for the bench
 * itself to report), but every figure must be there, every event must arrive, and nothing may be
 * left behind.
 */
class BgsBenchIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void aSmallBenchReportsEveryFigureLosesNoEventAndLeavesNothingBehind() throws Exception {
    Path out = tmp.resolve("out.json");
    Path err = tmp.resolve("err.txt");
    Path benchTmp = Files.createDirectory(tmp.resolve("java-tmp"));
    ProcessBuilder builder = new ProcessBuilder(BgsProcess.command(
            "bench", "--json", "--starts", "1", "--round-trips", "200", "--events", "3000",
            "--rate", "20000", "--clients", "3", "--fan-out-events", "500", "--fan-out-rate",
            "2000"))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // The bench and the sidecars it starts put their sockets and logs here, where we can look.
    builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + benchTmp);
    Process bench = builder.start();
    if (!bench.waitFor(120, TimeUnit.SECONDS)) {
      bench.destroyForcibly();
      throw new AssertionError("bgs bench did not finish in 120 s: " + Files.readString(err));
    }

    assertThat(bench.exitValue()).as(Files.readString(err)).isZero();
    JsonNode report = JSON.readTree(Files.readString(out));
    assertThat(report.path("lossless").asBoolean()).isTrue();
    assertThat(report.path("environment").path("cores").asInt()).isPositive();

    JsonNode roundTrip = report.path("roundTrip");
    assertThat(roundTrip.path("calls").asInt()).isEqualTo(200);
    assertThat(roundTrip.path("medianMicros").asDouble()).isPositive();
    assertThat(roundTrip.path("echoMedianMicros").asDouble()).isPositive();
    assertThat(roundTrip.path("ratio").asDouble()).isPositive();

    JsonNode one = report.path("eventStreamOneClient");
    assertThat(one.path("clients").asInt()).isEqualTo(1);
    assertThat(one.path("lost").asLong()).isZero();
    assertThat(one.path("perClient").get(0).path("received").asLong()).isEqualTo(3000);
    assertThat(one.path("echoFramesPerSecond").asLong()).isPositive();

    JsonNode fanOut = report.path("eventStreamFanOut");
    assertThat(fanOut.path("perClient")).hasSize(3);
    for (JsonNode client : fanOut.path("perClient")) {
      assertThat(client.path("received").asLong()).isEqualTo(500);
      assertThat(client.path("outOfOrder").asLong()).isZero();
      assertThat(client.path("disconnects").asLong()).isZero();
    }

    assertThat(report.path("startup").path("sidecarMillis").asDouble()).isPositive();
    assertThat(report.path("startup").path("trivialJvmMillis").asDouble()).isPositive();
    assertThat(report.path("memory").path("idleRssBytes").asLong()).isPositive();

    try (Stream<Path> left = Files.list(benchTmp)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("bgs-bench")).toList())
          .as("the bench's work directory").isEmpty();
    }
    List<String> survivors = ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(line -> line.contains(benchTmp.toString()) && line.contains("serve"))
        .toList();
    assertThat(survivors).as("sidecars left running").isEmpty();
  }

  @Test
  void aNonPositiveCountIsAUsageError() throws Exception {
    BgsProcess.Result result = BgsProcess.run("bench", "--events", "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--events must be at least 1").doesNotContain("Exception");
  }
}
