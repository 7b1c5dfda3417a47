package dev.bgservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real bgs jar as separate processes, as an operator or a script would. */
class BgsCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private BgsProcess.Server serve() throws Exception {
    return new BgsProcess.Server(tmp.resolve("s.sock"), tmp.resolve("state"), tmp.resolve("serve.log"));
  }

  private String sock() {
    return tmp.resolve("s.sock").toString();
  }

  @Test
  void serveStartStatusEventsStop() throws Exception {
    try (BgsProcess.Server server = serve()) {
      BgsProcess.Result start = BgsProcess.run(
          "start", "--socket", sock(), "--params", "{\"intervalMs\":50,\"exitAfterTicks\":1000}",
          "--wait");
      assertThat(start.exitCode()).as(start.stderr()).isZero();

      assertThat(BgsProcess.run("is-running", "--socket", sock()).stdout().trim()).isEqualTo("true");

      BgsProcess.Result status = BgsProcess.run("status", "--socket", sock(), "--json");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      JsonNode statusJson = JSON.readTree(status.stdout());
      assertThat(statusJson.get("state").asText()).isEqualTo("running");
      assertThat(statusJson.get("desiredRunning").asBoolean()).isTrue();

      BgsProcess.Result human = BgsProcess.run("status", "--socket", sock());
      assertThat(human.stdout()).contains("state:").contains("running");

      BgsProcess.Result events = BgsProcess.run("events", "--socket", sock(), "--json");
      assertThat(events.exitCode()).as(events.stderr()).isZero();
      List<JsonNode> lines = events.stdout().lines().map(BgsCliIT::parse).toList();
      assertThat(lines).isNotEmpty();
      assertThat(lines).allSatisfy(e -> assertThat(e.get("kind").asText()).isEqualTo("event"));
      assertThat(lines).anySatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("started"));
      long previous = 0;
      for (JsonNode line : lines) {
        assertThat(line.get("seq").asLong()).isGreaterThan(previous);
        previous = line.get("seq").asLong();
      }

      BgsProcess.Result stop = BgsProcess.run("stop", "--socket", sock(), "--timeout", "5s");
      assertThat(stop.exitCode()).as(stop.stderr()).isZero();
      assertThat(BgsProcess.run("is-running", "--socket", sock()).stdout().trim()).isEqualTo("false");
      BgsProcess.Result again = BgsProcess.run("stop", "--socket", sock());
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.stderr().trim()).isEqualTo("bgs: Service is not running");
    }
  }

  @Test
  void startWhileRunningFailsWithExitCode1() throws Exception {
    try (BgsProcess.Server server = serve()) {
      assertThat(BgsProcess.run("start", "--socket", sock()).exitCode()).isZero();
      BgsProcess.Result second = BgsProcess.run("start", "--socket", sock());
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.stderr().trim()).isEqualTo("bgs: Service is already running");
    }
  }

  @Test
  void sigtermStopsTheSidecarInOrderAndRemovesItsFiles() throws Exception {
    BgsProcess.Server server = serve();
    assertThat(BgsProcess.run("start", "--socket", sock(), "--wait").exitCode()).isZero();

    server.process.destroy(); // SIGTERM

    assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(server.process.exitValue()).isZero();
    assertThat(tmp.resolve("s.sock")).doesNotExist();
    assertThat(tmp.resolve("s.sock.lock")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("serve.log"))).contains("appStop");
  }

  @Test
  void aSecondServeOnALiveSocketIsRefused() throws Exception {
    try (BgsProcess.Server server = serve()) {
      BgsProcess.Result second = BgsProcess.run(
          "serve", "--socket", sock(), "--state-dir", tmp.resolve("state2").toString());
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.stderr()).startsWith("bgs: ");
      assertThat(second.stdout()).doesNotContain("ready");
      assertThat(BgsProcess.run("is-running", "--socket", sock()).exitCode()).isZero();
    }
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    assertThat(BgsProcess.run("frobnicate").exitCode()).isEqualTo(2);
    BgsProcess.Result badParams = BgsProcess.run("start", "--socket", sock(), "--params", "[1]");
    assertThat(badParams.exitCode()).isEqualTo(2);
    assertThat(badParams.stderr()).contains("--params must be a JSON object");
    assertThat(BgsProcess.run("stop", "--timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(BgsProcess.run("status", "--label", "x", "--socket", sock()).exitCode()).isEqualTo(2);
  }

  @Test
  void everyCommandAnswersHelp() throws Exception {
    for (String command : List.of("serve", "start", "stop", "is-running", "status", "events",
        "validate", "bench", "install", "demo")) {
      BgsProcess.Result help = BgsProcess.run(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.stdout()).as(command).startsWith("Usage: bgs " + command);
    }
  }

  @Test
  void anUnreachableSidecarExitsWith3AndOneLine() throws Exception {
    BgsProcess.Result result = BgsProcess.run("status", "--socket", tmp.resolve("none.sock").toString());
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr().lines().toList()).hasSize(1);
    assertThat(result.stderr()).startsWith("bgs: cannot reach the sidecar at");
  }

  @Test
  void demoRunsAndLeavesNothingBehind() throws Exception {
    BgsProcess.Result demo = BgsProcess.run("demo");
    assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
    assertThat(demo.stdout()).contains("killing the sidecar with SIGKILL").contains("done:");
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
