package dev.bgservice.cli;

import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.SetupCheck;
import dev.bgservice.status.SetupIssue;
import dev.bgservice.status.SetupValidationReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** The human-readable forms of the status values (the {@code --json} forms use StatusJson). */
final class Formats {
  private Formats() {}

  static void print(PrintWriter out, LifecycleStatus status) {
    row(out, "state", status.state().wireName());
    row(out, "desired running", yesNo(status.desiredRunning()));
    row(out, "auto-restart", status.recoveryEnabled() ? "enabled" : "disabled");
    if (status.recoveryPending()) {
      row(out, "recovery", "pending" + status.recoveryReason().map(r -> " (" + r + ")").orElse(""));
    }
    status.lastStartConfig().ifPresent(c -> row(out, "last config", config(c)));
    row(out, "last error", status.lastError().orElse("-"));
    row(out, "platform", status.platform() + " (" + status.capabilities().lifecycleMode().wireName() + ")");
    issues(out, status.issues());
  }

  static void print(PrintWriter out, DesiredState state) {
    row(out, "desired running", yesNo(state.desiredRunning()));
    row(out, "last config", state.lastStartConfig().map(Formats::config).orElse("-"));
    row(out, "last start", state.lastStartEpochMs().isPresent()
        ? Instant.ofEpochMilli(state.lastStartEpochMs().getAsLong()).toString() : "-");
    row(out, "last heartbeat", state.lastHeartbeatEpochMs().isPresent()
        ? Instant.ofEpochMilli(state.lastHeartbeatEpochMs().getAsLong()).toString() : "-");
    row(out, "restart attempt", Integer.toString(state.restartAttempt()));
    row(out, "recovery pending", yesNo(state.recoveryPending())
        + state.recoveryReason().map(r -> " (" + r + ")").orElse(""));
  }

  static void print(PrintWriter out, SetupValidationReport report) {
    row(out, "setup", report.ok() ? "ok" : "has errors");
    for (SetupCheck check : report.checks()) {
      out.printf("  %-8s %-22s %s%n", check.status().wireName(), check.code(), check.message());
      check.fix().filter(f -> check.status().wireName().equals("fail"))
          .ifPresent(f -> out.printf("  %-8s %-22s fix: %s%n", "", "", f));
    }
    if (report.checks().isEmpty()) {
      issues(out, report.issues());
    }
  }

  static void print(PrintWriter out, PlatformCapabilities caps) {
    row(out, "platform", caps.platform());
    row(out, "lifecycle mode", caps.lifecycleMode().wireName());
    row(out, "survives app close", caps.survivesAppClose().wireName());
    row(out, "survives reboot", caps.survivesReboot().wireName());
    row(out, "survives force quit", caps.survivesForceQuit().wireName());
    row(out, "background execution", caps.backgroundExecution().wireName());
    for (String limitation : caps.limitations()) {
      row(out, "limitation", limitation);
    }
    for (String step : caps.requiredSetup()) {
      row(out, "required setup", step);
    }
  }

  private static void issues(PrintWriter out, List<SetupIssue> issues) {
    if (issues.isEmpty()) {
      row(out, "issues", "none");
    }
    for (SetupIssue issue : issues) {
      row(out, issue.severity().wireName(), issue.code() + ": " + issue.message()
          + issue.fix().map(f -> " (fix: " + f + ")").orElse(""));
    }
  }

  static String config(StartConfig config) {
    return "\"" + config.serviceLabel() + "\" " + config.foregroundServiceType()
        + (config.params().isEmpty() ? "" : " params " + config.params());
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("%-21s %s%n", name + ":", value);
  }
}
