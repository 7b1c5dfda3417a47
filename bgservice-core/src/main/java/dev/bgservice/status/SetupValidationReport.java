package dev.bgservice.status;

import java.util.List;
import java.util.Objects;

/**
 * The result of validating the setup: every issue found, split by severity.
 *
 * @param ok true exactly when there is no error
 * @param errors the issues of severity error
 * @param warnings the issues of severity warning
 * @param issues every issue, errors and warnings, in the order found
 */
public record SetupValidationReport(
    boolean ok, List<SetupIssue> errors, List<SetupIssue> warnings, List<SetupIssue> issues) {

  /** Copies the lists and checks that {@code ok} agrees with {@code errors}. */
  public SetupValidationReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    issues = List.copyOf(issues);
    if (ok != errors.isEmpty()) {
      throw new IllegalArgumentException("ok must be true exactly when there are no errors");
    }
  }

  /** The report for a list of issues: errors and warnings split out, {@code ok} derived. */
  public static SetupValidationReport of(List<SetupIssue> issues) {
    Objects.requireNonNull(issues, "issues");
    List<SetupIssue> errors =
        issues.stream().filter(i -> i.severity() == Severity.ERROR).toList();
    List<SetupIssue> warnings =
        issues.stream().filter(i -> i.severity() == Severity.WARNING).toList();
    return new SetupValidationReport(errors.isEmpty(), errors, warnings, issues);
  }
}
