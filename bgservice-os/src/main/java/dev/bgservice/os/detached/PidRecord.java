package dev.bgservice.os.detached;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of a detached sidecar process, as kept in its pid file: the pid and the time
 * the process started. A pid alone can be reused by an unrelated process after the sidecar
 * exits; pid plus start time cannot (in practice).
 *
 * @param pid the process id
 * @param startedAt when the process started, as the OS reports it; empty where it does not
 */
public record PidRecord(long pid, Optional<Instant> startedAt) {
  /**
   * How far two readings of one process's start time may differ. The OS reports it in clock
   * ticks; runtimes may round it differently.
   */
  static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the pid is positive. */
  public PidRecord {
    if (pid <= 0) {
      throw new IllegalArgumentException("a pid must be positive: " + pid);
    }
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** The record of a process that is running now. */
  public static PidRecord of(ProcessHandle process) {
    return new PidRecord(process.pid(), process.info().startInstant());
  }

  /**
   * The process this record names, if it is still running: same pid and, where the OS reports
   * it, the same start time.
   */
  public Optional<ProcessHandle> liveProcess() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
  }

  private boolean sameStart(ProcessHandle process) {
    if (startedAt.isEmpty()) {
      return true;
    }
    Optional<Instant> actual = process.info().startInstant();
    return actual.isEmpty()
        || Duration.between(startedAt.get(), actual.get()).abs().compareTo(START_TIME_TOLERANCE) <= 0;
  }

  /** {@code {"pid": 123, "startedAt": "2024-01-01T00:00:00.010Z"}}. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("pid", pid);
    startedAt.ifPresent(t -> node.put("startedAt", t.toString()));
    return node.toString() + "\n";
  }

  /**
   * Reads a pid file's content.
   *
   * @throws IllegalArgumentException when it is not a pid record
   */
  public static PidRecord fromJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject() || !node.path("pid").canConvertToLong()) {
        throw new IllegalArgumentException("not a pid record: " + json.strip());
      }
      JsonNode started = node.get("startedAt");
      return new PidRecord(
          node.get("pid").longValue(),
          started != null && started.isTextual()
              ? Optional.of(Instant.parse(started.asText()))
              : Optional.empty());
    } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("not a pid record: " + json.strip(), e);
    }
  }
}
