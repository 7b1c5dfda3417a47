package dev.bgservice.os.command;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.OsServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as child processes, reading both output streams fully and killing a command
 * that does not finish within its deadline.
 */
public final class ProcessCommandRunner implements CommandRunner {
  /** Service managers answer in well under a second; a minute means something is stuck. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Duration timeout;

  /** With {@link #DEFAULT_TIMEOUT}. */
  public ProcessCommandRunner() {
    this(DEFAULT_TIMEOUT);
  }

  /** With the given deadline per command. */
  public ProcessCommandRunner(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  @Override
  public CommandResult run(Command command) {
    Process process;
    try {
      process = new ProcessBuilder(command.argv()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new OsServiceException(
          OsServiceException.PROGRAM_NOT_FOUND,
          "Could not run " + command.program() + ": " + e.getMessage(),
          e);
    }
    try {
      process.getOutputStream().close();
      // Both streams are drained concurrently so a chatty command cannot block on a full pipe.
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new OsServiceException(
            ErrorCode.TIMEOUT,
            command.display() + " did not finish within " + timeout.toSeconds() + " s and was killed");
      }
      return new CommandResult(
          process.exitValue(),
          out.get(5, TimeUnit.SECONDS),
          err.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new OsServiceException(
          ErrorCode.INTERNAL, "Interrupted while running " + command.display(), e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      process.destroyForcibly();
      throw new OsServiceException(
          OsServiceException.COMMAND_FAILED,
          "Could not read the output of " + command.display() + ": " + e.getMessage(),
          e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (stream) {
                text.complete(new String(stream.readAllBytes(), Charset.defaultCharset()));
              } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "command-output-reader");
    reader.setDaemon(true);
    reader.start();
    return text;
  }
}
