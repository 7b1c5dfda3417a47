package dev.bgservice.os;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the service manager says about one service.
 *
 * @param label the service label
 * @param manager the manager asked
 * @param scope user or system
 * @param state whether it is installed and running
 * @param enabled whether it starts at login or boot
 * @param pid the process id while running, if the manager tells
 * @param detail the manager's own words, for a person (e.g. {@code active (running)})
 */
public record InstalledServiceStatus(
    String label,
    ServiceManager manager,
    Scope scope,
    RunState state,
    boolean enabled,
    OptionalLong pid,
    String detail) {

  /** Checks that nothing is null. */
  public InstalledServiceStatus {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(pid, "pid");
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether a service is installed under the label. */
  public boolean installed() {
    return state != RunState.NOT_INSTALLED;
  }

  /** One line for a person, e.g. {@code x (systemd user): running, pid 42, enabled}. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append(label)
        .append(" (")
        .append(manager.name().toLowerCase(java.util.Locale.ROOT))
        .append(' ')
        .append(scope.name().toLowerCase(java.util.Locale.ROOT))
        .append("): ")
        .append(state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    pid.ifPresent(p -> out.append(", pid ").append(p));
    if (installed()) {
      out.append(enabled ? ", starts automatically" : ", manual start");
    }
    if (!detail.isEmpty()) {
      out.append(" [").append(detail).append(']');
    }
    return out.toString();
  }
}
