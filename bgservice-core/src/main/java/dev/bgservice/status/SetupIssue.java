package dev.bgservice.status;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem found by setup validation.
 *
 * @param code stable identifier, e.g. {@code state_dir_not_writable}
 * @param message what is wrong, for a person
 * @param platform the platform it applies to ({@code linux}, {@code macos}, ...)
 * @param severity how serious it is
 * @param fix what to do about it, when known
 */
public record SetupIssue(
    String code, String message, String platform, Severity severity, Optional<String> fix) {

  /** Checks that no component is null. */
  public SetupIssue {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(fix, "fix");
  }
}
