package dev.bgservice.state;

import dev.bgservice.status.SetupIssue;
import dev.bgservice.status.Severity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something wrong with the desired state file that a status or a setup validation should show.
 *
 * @param kind what kind of problem it is
 * @param message what happened, for a person, naming the file
 * @param file the state file concerned
 * @param preservedCopy where the unreadable contents were kept, for {@link
 *     Kind#CORRUPT_FILE_PRESERVED}
 * @param detectedAt when the store noticed it
 */
public record StoreProblem(
    Kind kind, String message, Path file, Optional<Path> preservedCopy, Instant detectedAt) {

  /** Checks that no component is null. */
  public StoreProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(preservedCopy, "preservedCopy");
    Objects.requireNonNull(detectedAt, "detectedAt");
  }

  /** The kinds of problem, each with a stable code for status and validation output. */
  public enum Kind {
    /**
     * The file could not be parsed; it was moved aside unchanged and the store started from
     * defaults, so the previous intent is lost until a person looks at the copy.
     */
    CORRUPT_FILE_PRESERVED(
        "state_file_corrupt",
        Severity.WARNING,
        "Inspect the preserved copy; delete it once it is no longer needed."),
    /**
     * The file was written by a newer bgservice (a higher schema version). It is read as far as
     * it is understood and never overwritten.
     */
    NEWER_SCHEMA(
        "state_file_newer_schema",
        Severity.ERROR,
        "Use the newer bgservice version that wrote the file, or move the file away to start"
            + " from defaults."),
    /** The file or its directory could not be read, written or locked. */
    IO_FAILURE(
        "state_file_unavailable",
        Severity.ERROR,
        "Check that the state directory exists, is writable by this user and has free space.");

    private final String code;
    private final Severity severity;
    private final String fix;

    Kind(String code, Severity severity, String fix) {
      this.code = code;
      this.severity = severity;
      this.fix = fix;
    }

    /** The stable code, e.g. {@code state_file_corrupt}. */
    public String code() {
      return code;
    }

    /** How serious this kind of problem is for the service's setup. */
    public Severity severity() {
      return severity;
    }

    /** What a person can do about it. */
    public String fix() {
      return fix;
    }
  }

  /** This problem as a setup issue for a status or a validation report on {@code platform}. */
  public SetupIssue toSetupIssue(String platform) {
    return new SetupIssue(kind.code(), message, platform, kind.severity(), Optional.of(kind.fix()));
  }
}
