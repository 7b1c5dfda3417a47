package dev.bgservice.os;

import dev.bgservice.service.ServiceLabel;
import java.util.Objects;

/**
 * Which installed service an operation acts on, and whether it only says what it would do.
 *
 * @param label the service label
 * @param scope user or system
 * @param dryRun whether to record the steps without changing anything
 */
public record ServiceTarget(String label, Scope scope, boolean dryRun) {

  /** Checks the label and scope. */
  public ServiceTarget {
    ServiceLabel.validate(label);
    Objects.requireNonNull(scope, "scope");
  }

  /** The current user's service {@code label}. */
  public static ServiceTarget user(String label) {
    return new ServiceTarget(label, Scope.USER, false);
  }

  /** The machine's service {@code label}. */
  public static ServiceTarget system(String label) {
    return new ServiceTarget(label, Scope.SYSTEM, false);
  }

  /** This target, as a dry run. */
  public ServiceTarget asDryRun() {
    return new ServiceTarget(label, scope, true);
  }
}
