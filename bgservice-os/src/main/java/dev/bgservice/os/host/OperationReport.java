package dev.bgservice.os.host;

import dev.bgservice.os.command.CommandKind;
import dev.bgservice.os.command.PosixQuoting;
import java.util.List;

/**
 * What an operation did, or in a dry run would do: the files it writes (with their full
 * content), the files it deletes, the commands it runs, in order.
 *
 * @param operation a short name, e.g. {@code install}
 * @param label the service label operated on
 * @param dryRun whether nothing was changed
 * @param steps every step, in order
 */
public record OperationReport(String operation, String label, boolean dryRun, List<Step> steps) {

  /** Copies the steps. */
  public OperationReport {
    steps = List.copyOf(steps);
  }

  /** The files written, in order. */
  public List<Step.WriteFile> writtenFiles() {
    return steps.stream()
        .filter(Step.WriteFile.class::isInstance)
        .map(Step.WriteFile.class::cast)
        .toList();
  }

  /** The commands run (queries and changes), in order. */
  public List<Step.RunCommand> commands() {
    return steps.stream()
        .filter(Step.RunCommand.class::isInstance)
        .map(Step.RunCommand.class::cast)
        .toList();
  }

  /**
   * A plain-text rendering for the CLI: one line per step, written files followed by their
   * content indented by {@code "    | "} so that the content can be told apart from the report.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(dryRun ? "Dry run: " : "")
        .append(operation)
        .append(" '")
        .append(label)
        .append("'")
        .append(dryRun ? " would do the following (nothing was changed):" : ":")
        .append('\n');
    for (Step step : steps) {
      out.append(describe(step));
    }
    return out.toString();
  }

  private static String describe(Step step) {
    if (step instanceof Step.WriteFile w) {
      StringBuilder out = new StringBuilder();
      out.append("  write ").append(w.path()).append(" (").append(w.charset().name()).append(")\n");
      // A byte order mark is part of the file but not something a reader should see.
      String content = w.content().startsWith("\uFEFF") ? w.content().substring(1) : w.content();
      for (String line : content.split("\n", -1)) {
        out.append("    | ").append(line).append('\n');
      }
      return out.toString();
    } else if (step instanceof Step.DeleteFile d) {
      return "  delete " + d.path() + "\n";
    } else if (step instanceof Step.CreateDirectory c) {
      return "  mkdir -p " + c.path() + "\n";
    } else if (step instanceof Step.RunCommand r) {
      String verb = r.command().kind() == CommandKind.QUERY ? "  query " : "  run ";
      return verb + r.command().display() + "\n";
    } else if (step instanceof Step.SpawnProcess s) {
      return "  spawn (detached, pid file " + s.pidFile() + ") " + PosixQuoting.join(s.argv()) + "\n";
    } else if (step instanceof Step.StopProcess p) {
      return "  stop process " + p.pid() + "\n";
    } else if (step instanceof Step.Note n) {
      return "  note: " + n.text() + "\n";
    }
    throw new AssertionError("unknown step " + step);
  }
}
