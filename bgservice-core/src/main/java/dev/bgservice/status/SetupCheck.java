package dev.bgservice.status;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of one setup check, pass, fail or unknown. Every check has a stable code (the
 * {@code CODE_*} constants of {@link SetupValidator}, or a code of another module's own check);
 * a failed check becomes a {@link SetupIssue} with the same code, message and fix.
 *
 * @param code stable identifier of the check, e.g. {@code state_dir}
 * @param status whether the check passed, failed or could not tell
 * @param message what was found, for a person (one sentence)
 * @param fix what to do about it, present when the check failed and a fix is known
 * @param severity how serious the failure is, present exactly when the check failed
 */
public record SetupCheck(
    String code,
    CheckStatus status,
    String message,
    Optional<String> fix,
    Optional<Severity> severity) {

  /** Checks that no component is null and that a severity is given exactly for a failure. */
  public SetupCheck {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
    Objects.requireNonNull(severity, "severity");
    if (code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank");
    }
    if (severity.isPresent() != (status == CheckStatus.FAIL)) {
      throw new IllegalArgumentException(
          "severity must be present exactly when the check failed (code " + code + ")");
    }
  }

  /** A check that found nothing wrong. */
  public static SetupCheck pass(String code, String message) {
    return new SetupCheck(code, CheckStatus.PASS, message, Optional.empty(), Optional.empty());
  }

  /** A check that found a problem of {@code severity}, with what to do about it. */
  public static SetupCheck fail(String code, Severity severity, String message, String fix) {
    Objects.requireNonNull(severity, "severity");
    return new SetupCheck(
        code, CheckStatus.FAIL, message, Optional.of(fix), Optional.of(severity));
  }

  /** A check that could not tell, with why. */
  public static SetupCheck unknown(String code, String message) {
    return new SetupCheck(code, CheckStatus.UNKNOWN, message, Optional.empty(), Optional.empty());
  }

  /** The issue this check raises on {@code platform}: present exactly when it failed. */
  public Optional<SetupIssue> issue(String platform) {
    Objects.requireNonNull(platform, "platform");
    return severity.map(s -> new SetupIssue(code, message, platform, s, fix));
  }
}
