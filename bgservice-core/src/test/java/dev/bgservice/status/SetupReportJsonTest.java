package dev.bgservice.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.platform.ScriptDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupReportJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path tmp;

  private static final SetupCheck PASSED = SetupCheck.pass("java_version", "This JVM is Java 17.");
  private static final SetupCheck WARNED = SetupCheck.fail("user_lingering", Severity.WARNING,
      "Lingering is off for alice.", "Run `loginctl enable-linger alice`.");
  private static final SetupCheck FAILED = SetupCheck.fail("state_dir", Severity.ERROR,
      "Cannot write to the state directory /s (permission denied).", "Make /s writable.");
  private static final SetupCheck UNKNOWN = SetupCheck.unknown("sidecar_reachable", "Not checked.");

  @Test
  void reportHasTheA6ShapePlusTheChecks() throws Exception {
    SetupValidationReport report =
        SetupValidationReport.fromChecks("linux", List.of(PASSED, WARNED, FAILED, UNKNOWN));

    JsonNode json = StatusJson.toJson(report);

    assertThat(json).isEqualTo(MAPPER.readTree("""
        {"ok": false,
         "errors": [{"code": "state_dir",
                     "message": "Cannot write to the state directory /s (permission denied).",
                     "platform": "linux", "severity": "error", "fix": "Make /s writable."}],
         "warnings": [{"code": "user_lingering", "message": "Lingering is off for alice.",
                       "platform": "linux", "severity": "warning",
                       "fix": "Run `loginctl enable-linger alice`."}],
         "issues": [{"code": "user_lingering", "message": "Lingering is off for alice.",
                     "platform": "linux", "severity": "warning",
                     "fix": "Run `loginctl enable-linger alice`."},
                    {"code": "state_dir",
                     "message": "Cannot write to the state directory /s (permission denied).",
                     "platform": "linux", "severity": "error", "fix": "Make /s writable."}],
         "checks": [
           {"code": "java_version", "status": "pass", "message": "This JVM is Java 17."},
           {"code": "user_lingering", "status": "fail", "message": "Lingering is off for alice.",
            "fix": "Run `loginctl enable-linger alice`.", "severity": "warning"},
           {"code": "state_dir", "status": "fail",
            "message": "Cannot write to the state directory /s (permission denied).",
            "fix": "Make /s writable.", "severity": "error"},
           {"code": "sidecar_reachable", "status": "unknown", "message": "Not checked."}]}
        """));
    assertThat(StatusJson.setupValidationReport(json)).isEqualTo(report);
  }

  @Test
  void okIsTrueExactlyWhenThereIsNoError() {
    assertThat(SetupValidationReport.fromChecks("linux", List.of(PASSED, WARNED, UNKNOWN)).ok())
        .isTrue();
    assertThat(SetupValidationReport.fromChecks("linux", List.of(PASSED, FAILED)).ok())
        .isFalse();
    assertThat(SetupValidationReport.fromChecks("linux", List.of()).ok()).isTrue();
    assertThatThrownBy(() -> new SetupValidationReport(true,
        List.of(FAILED.issue("linux").orElseThrow()), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ok must be true exactly when there are no errors");
  }

  @Test
  void reportWithoutChecksKeepsThePlainA6Shape() throws Exception {
    SetupValidationReport report = SetupValidationReport.of(List.of());

    ObjectNode json = StatusJson.toJson(report);

    assertThat(json).isEqualTo(MAPPER.readTree(
        "{\"ok\": true, \"errors\": [], \"warnings\": [], \"issues\": []}"));
    assertThat(StatusJson.setupValidationReport(json).checks()).isEmpty();
  }

  @Test
  void readingRecomputesOkAndRejectsBadChecks() throws Exception {
    JsonNode lying = MAPPER.readTree("""
        {"ok": true, "errors": [], "warnings": [],
         "issues": [{"code": "x", "message": "m", "platform": "linux", "severity": "error"}],
         "checks": [{"code": "x", "status": "fail", "message": "m"}]}
        """);

    SetupValidationReport read = StatusJson.setupValidationReport(lying);

    assertThat(read.ok()).isFalse();
    assertThat(read.checks()).containsExactly(new SetupCheck(
        "x", CheckStatus.FAIL, "m", Optional.empty(), Optional.of(Severity.ERROR)));
    assertThatThrownBy(() -> StatusJson.setupValidationReport(MAPPER.readTree(
        "{\"checks\": [{\"code\": \"x\", \"status\": \"maybe\", \"message\": \"m\"}]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("report.checks[0].status: unknown CheckStatus 'maybe'");
  }

  @Test
  void checkSeverityGoesWithFailureOnly() {
    assertThatThrownBy(() -> new SetupCheck(
        "x", CheckStatus.PASS, "m", Optional.empty(), Optional.of(Severity.ERROR)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("severity must be present exactly when the check failed (code x)");
    assertThat(PASSED.issue("linux")).isEmpty();
    assertThat(WARNED.issue("macos")).contains(new SetupIssue("user_lingering",
        "Lingering is off for alice.", "macos", Severity.WARNING,
        Optional.of("Run `loginctl enable-linger alice`.")));
  }

  @Test
  void realValidationAndCapabilitiesSurviveAJsonRoundTrip() {
    ScriptDir tools = ScriptDir.in(tmp);
    tools.script("systemctl", SystemFactsTest.systemctl("running", 0));
    tools.script("loginctl", SystemFactsTest.loginctl("alice", "no"));
    SystemFacts facts = new SystemFacts(OperatingSystem.LINUX, tools.commands());

    SetupValidationReport report = SetupValidator.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(facts).user("alice").label("ticker").stateDirectory(tmp).build().validate();
    PlatformCapabilities caps = CapabilitiesProbe.builder(LifecycleMode.DESKTOP_OS_SERVICE)
        .facts(facts).user("alice").build().probe();

    assertThat(StatusJson.setupValidationReport(StatusJson.toJson(report))).isEqualTo(report);
    assertThat(StatusJson.platformCapabilities(StatusJson.toJson(caps))).isEqualTo(caps);
    assertThat(StatusJson.toJson(caps).get("survivesReboot").asText()).isEqualTo("unsupported");
    assertThat(StatusJson.toJson(report).get("checks")).hasSize(report.checks().size());
  }
}
