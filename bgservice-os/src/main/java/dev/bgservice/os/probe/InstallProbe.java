package dev.bgservice.os.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.command.PosixQuoting;
import dev.bgservice.os.launch.LaunchSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, before anything is installed, that a {@link LaunchSpec} really starts a bgservice
 * sidecar for the expected label: runs it once with {@value LaunchSpec#VALIDATE_FLAG} appended,
 * kills it when it does not answer in time, and checks the one JSON line it prints, e.g.
 * {@code {"bgservice":"0.1.0","protocol":2,"label":"x"}}.
 *
 * <p>This catches a wrong class path, main class or runtime at install time, with the real
 * error, instead of as a service that fails at every boot.
 */
public final class InstallProbe {
  /** A JVM that has not printed one line after this long is not going to. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Output past this is not kept: the answer is one short line. */
  private static final int MAX_OUTPUT = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration timeout;

  /** With {@link #DEFAULT_TIMEOUT}. */
  public InstallProbe() {
    this(DEFAULT_TIMEOUT);
  }

  /** With the given deadline for the probed process to answer and exit. */
  public InstallProbe(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /**
   * Probes {@code spec} and checks its answer.
   *
   * @throws OsServiceException with code {@link OsServiceException#VALIDATION_FAILED} (or
   *     {@link ErrorCode#TIMEOUT}) saying what was wrong
   */
  public ProbeResult probe(LaunchSpec spec, String expectedLabel) {
    Objects.requireNonNull(expectedLabel, "expectedLabel");
    List<String> argv = spec.withExtraArgs(LaunchSpec.VALIDATE_FLAG).argv();
    String shown = PosixQuoting.join(argv);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(spec.environment());
    // The working directory may not exist yet (install creates it); the probe does not need it.
    spec.workingDirectory().filter(Files::isDirectory).ifPresent(dir -> builder.directory(dir.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw failed("could not be started (" + e.getMessage() + "): " + shown, e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> stdout = read(process.getInputStream());
      CompletableFuture<String> stderr = read(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new OsServiceException(
            ErrorCode.TIMEOUT,
            "The sidecar did not answer " + LaunchSpec.VALIDATE_FLAG + " within "
                + timeout.toMillis() + " ms and was stopped: " + shown);
      }
      String out = stdout.get(5, TimeUnit.SECONDS);
      String err = stderr.get(5, TimeUnit.SECONDS);
      if (process.exitValue() != 0) {
        throw failed(
            "exited with status " + process.exitValue() + firstLine(err, out) + ": " + shown, null);
      }
      return check(lastLine(out), expectedLabel, argv, shown);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      throw new OsServiceException(ErrorCode.INTERNAL, "Interrupted while probing the sidecar", e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      kill(process);
      throw failed("could not be read (" + e.getMessage() + "): " + shown, e);
    }
  }

  private static ProbeResult check(String line, String expectedLabel, List<String> argv, String shown) {
    JsonNode answer;
    try {
      answer = line.isEmpty() ? null : JSON.readTree(line);
    } catch (JsonProcessingException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      throw failed(
          "did not print a JSON line for " + LaunchSpec.VALIDATE_FLAG
              + (line.isEmpty() ? " (no output)" : " (got '" + abbreviate(line) + "')")
              + "; is this a bgservice sidecar? " + shown,
          null);
    }
    JsonNode version = answer.get("bgservice");
    if (version == null || !version.isTextual() || version.asText().isBlank()) {
      throw failed("answered without a bgservice version: " + abbreviate(line), null);
    }
    JsonNode protocol = answer.get("protocol");
    if (protocol == null || !protocol.canConvertToInt() || !protocol.isIntegralNumber() || protocol.intValue() < 1) {
      throw failed("answered without a protocol version of 1 or more: " + abbreviate(line), null);
    }
    JsonNode label = answer.get("label");
    if (label == null || !label.isTextual()) {
      throw failed("answered without its service label: " + abbreviate(line), null);
    }
    if (!label.asText().equals(expectedLabel)) {
      throw failed(
          "would serve the label '" + label.asText() + "', not '" + expectedLabel + "': " + shown, null);
    }
    return new ProbeResult(version.asText(), protocol.intValue(), label.asText(), argv);
  }

  /** Kills the process and anything it started, and waits for it to be gone. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CompletableFuture<String> read(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              ByteArrayOutputStream kept = new ByteArrayOutputStream();
              byte[] buffer = new byte[8192];
              try (stream) {
                for (int n; (n = stream.read(buffer)) >= 0; ) {
                  // Keep reading past the limit so the child never blocks on a full pipe.
                  kept.write(buffer, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
                }
                text.complete(kept.toString(StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.complete(kept.toString(StandardCharsets.UTF_8));
              }
            },
            "install-probe-reader");
    reader.setDaemon(true);
    reader.start();
    return text;
  }

  private static String lastLine(String output) {
    String[] lines = output.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "";
  }

  private static String firstLine(String stderr, String stdout) {
    for (String text : new String[] {stderr, stdout}) {
      for (String line : text.split("\\R")) {
        if (!line.isBlank()) {
          return " (" + abbreviate(line.strip()) + ")";
        }
      }
    }
    return "";
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static OsServiceException failed(String what, Throwable cause) {
    return new OsServiceException(
        OsServiceException.VALIDATION_FAILED, "The sidecar " + what, cause);
  }
}
