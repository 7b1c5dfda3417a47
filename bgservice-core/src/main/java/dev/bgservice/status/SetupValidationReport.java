package dev.bgservice.status;

import java.util.List;
import java.util.Objects;

/**
 * The result of validating the setup: every issue found, split by severity (PROTOCOL.md A.6),
 * and, as an extension, the detailed list of checks that were run.
 *
 * @param ok true exactly when there is no error
 * @param errors the issues of severity error
 * @param warnings the issues of severity warning
 * @param issues every issue, errors and warnings, in the order found
 * @param checks every check that was run, passed, failed or unknown, in order; empty when the
 *     report was made from issues alone
 */
public record SetupValidationReport(
    boolean ok,
    List<SetupIssue> errors,
    List<SetupIssue> warnings,
    List<SetupIssue> issues,
    List<SetupCheck> checks) {

  /** Copies the lists and checks that {@code ok} agrees with {@code errors}. */
  public SetupValidationReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    issues = List.copyOf(issues);
    checks = List.copyOf(checks);
    if (ok != errors.isEmpty()) {
      throw new IllegalArgumentException("ok must be true exactly when there are no errors");
    }
  }

  /** A report without the detailed checks (the A.6 shape alone). */
  public SetupValidationReport(
      boolean ok, List<SetupIssue> errors, List<SetupIssue> warnings, List<SetupIssue> issues) {
    this(ok, errors, warnings, issues, List.of());
  }

  /** The report for a list of issues: errors and warnings split out, {@code ok} derived. */
  public static SetupValidationReport of(List<SetupIssue> issues) {
    return of(issues, List.of());
  }

  /**
   * The report for a list of issues and the checks that were run: errors and warnings split
   * out, {@code ok} derived. The issues need not all come from the checks (a caller may add
   * problems found elsewhere, e.g. a corrupt state file).
   */
  public static SetupValidationReport of(List<SetupIssue> issues, List<SetupCheck> checks) {
    Objects.requireNonNull(issues, "issues");
    Objects.requireNonNull(checks, "checks");
    List<SetupIssue> errors =
        issues.stream().filter(i -> i.severity() == Severity.ERROR).toList();
    List<SetupIssue> warnings =
        issues.stream().filter(i -> i.severity() == Severity.WARNING).toList();
    return new SetupValidationReport(errors.isEmpty(), errors, warnings, issues, checks);
  }

  /**
   * The report for the checks run on {@code platform}: each failed check becomes an issue with
   * its code, message, severity and fix.
   */
  public static SetupValidationReport fromChecks(String platform, List<SetupCheck> checks) {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(checks, "checks");
    List<SetupIssue> issues =
        checks.stream().flatMap(c -> c.issue(platform).stream()).toList();
    return of(issues, checks);
  }
}
