package dev.bgservice.cli;

import dev.bgservice.os.command.CommandKind;
import dev.bgservice.os.host.OperationReport;
import dev.bgservice.os.host.Step;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * How {@code bgs} prints what an OS service operation did: a dry run in full (every file with
 * its content, every command), a real run as one line per change.
 */
final class ReportPrinter {
  private ReportPrinter() {}

  /** Prints {@code report}; {@code where} says which manager and scope, e.g. {@code systemd user}. */
  static void print(PrintWriter out, OperationReport report, String where) {
    if (report.dryRun()) {
      out.print(report.render());
      out.flush();
      return;
    }
    out.println(pastTense(report.operation()) + " '" + report.label() + "' (" + where + ")");
    for (Step step : report.steps()) {
      line(step).ifPresent(line -> out.println("  " + line));
    }
    out.flush();
  }

  private static String pastTense(String operation) {
    return switch (operation) {
      case "install" -> "installed";
      case "uninstall" -> "uninstalled";
      case "start" -> "started";
      case "stop" -> "stopped";
      case "restart" -> "restarted";
      default -> operation + " done:";
    };
  }

  /** A change in the past tense; empty for a read-only query, which changed nothing. */
  private static Optional<String> line(Step step) {
    if (step instanceof Step.WriteFile w) {
      return Optional.of("wrote " + w.path());
    } else if (step instanceof Step.DeleteFile d) {
      return Optional.of("removed " + d.path());
    } else if (step instanceof Step.CreateDirectory c) {
      return Optional.of("created " + c.path());
    } else if (step instanceof Step.RunCommand r) {
      return r.command().kind() == CommandKind.QUERY
          ? Optional.empty()
          : Optional.of("ran " + r.command().display());
    } else if (step instanceof Step.SpawnProcess s) {
      return Optional.of("started the sidecar (pid file " + s.pidFile() + ")");
    } else if (step instanceof Step.StopProcess p) {
      return Optional.of("stopped process " + p.pid());
    } else if (step instanceof Step.Note n) {
      return Optional.of("note: " + n.text());
    }
    return Optional.of(step.toString());
  }
}
