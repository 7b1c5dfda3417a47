package dev.bgservice.platform;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs short, read-only commands that ask the system something ({@code systemctl --user
 * is-system-running}, {@code loginctl show-user}, {@code java -version}) and reports what
 * happened as a {@link CommandResult}, never as an exception: a missing program is {@link
 * CommandResult.Outcome#NOT_AVAILABLE}, a command that does not finish in time is killed
 * together with its child processes and reported as {@link CommandResult.Outcome#TIMED_OUT}.
 *
 * <p>Programs are looked up on an explicit search path (by default this process's {@code PATH})
 * and started by absolute path, so what runs is exactly what {@link #locate} finds. The child
 * gets this process's environment (its own {@code PATH} included, so that the tools a program
 * calls are the usual ones) with {@code LC_ALL=C}, so the output that callers parse is not
 * translated. Its standard input is closed
 * at once, and each output stream is captured up to {@value #MAX_CAPTURED_BYTES} bytes (the rest
 * is read and dropped so that the command never blocks on a full pipe).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SystemCommands {

  /** The timeout of {@link #run(String...)}: generous for a local query on a busy machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** How much of each output stream is kept. */
  public static final int MAX_CAPTURED_BYTES = 64 * 1024;

  private final List<Path> searchPath;
  private final Duration timeout;

  private SystemCommands(List<Path> searchPath, Duration timeout) {
    this.searchPath = List.copyOf(searchPath);
    this.timeout = timeout;
  }

  /** Commands found on this process's {@code PATH}, with the {@link #DEFAULT_TIMEOUT}. */
  public static SystemCommands system() {
    String path = System.getenv("PATH");
    List<Path> dirs = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        // Empty or malformed entries are skipped rather than meaning "the working directory":
        // a status query must not run whatever happens to lie in the current directory.
        if (entry.isBlank()) {
          continue;
        }
        try {
          Path dir = Path.of(entry);
          if (dir.isAbsolute()) {
            dirs.add(dir);
          }
        } catch (InvalidPathException ignored) {
          // skipped, see above
        }
      }
    }
    return new SystemCommands(dirs, DEFAULT_TIMEOUT);
  }

  /**
   * Commands found only in {@code directories}, searched in order, with the {@link
   * #DEFAULT_TIMEOUT}. Tests use this to put small scripts in place of the real programs.
   */
  public static SystemCommands withSearchPath(List<Path> directories) {
    Objects.requireNonNull(directories, "directories");
    for (Path dir : directories) {
      Objects.requireNonNull(dir, "directories must not contain null");
    }
    return new SystemCommands(directories, DEFAULT_TIMEOUT);
  }

  /** A copy that uses {@code timeout} for {@link #run(String...)}. */
  public SystemCommands withTimeout(Duration timeout) {
    return new SystemCommands(searchPath, checkedTimeout(timeout));
  }

  /** The directories searched for programs, in order. */
  public List<Path> searchPath() {
    return searchPath;
  }

  /** The timeout of {@link #run(String...)}. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Where {@code program} is: itself when it is a path (contains a file separator), else the
   * first executable regular file of that name on the search path (on Windows also with {@code
   * .exe}). Empty when there is none.
   */
  public Optional<Path> locate(String program) {
    Objects.requireNonNull(program, "program");
    if (program.isEmpty()) {
      return Optional.empty();
    }
    if (program.indexOf('/') >= 0 || program.indexOf(File.separatorChar) >= 0) {
      Path path = Path.of(program);
      return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
    }
    boolean windows = OperatingSystem.current() == OperatingSystem.WINDOWS;
    for (Path dir : searchPath) {
      for (String name : windows ? List.of(program, program + ".exe") : List.of(program)) {
        Path candidate = dir.resolve(name);
        if (isExecutableFile(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Runs {@code command} (program name first) with this runner's timeout. */
  public CommandResult run(String... command) {
    return run(timeout, List.of(command));
  }

  /**
   * Runs {@code command} (program name first), waiting at most {@code timeout} for it to
   * finish and for its output. Never throws for anything the command or the system does.
   *
   * @throws IllegalArgumentException if the command is empty or the timeout is not positive
   */
  public CommandResult run(Duration timeout, List<String> command) {
    List<String> cmd = List.copyOf(command);
    if (cmd.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    long deadline = System.nanoTime() + checkedTimeout(timeout).toNanos();
    Optional<Path> program = locate(cmd.get(0));
    if (program.isEmpty()) {
      return new CommandResult(
          cmd, CommandResult.Outcome.NOT_AVAILABLE, OptionalInt.empty(), "", "");
    }
    List<String> argv = new ArrayList<>(cmd);
    argv.set(0, program.get().toString());
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().put("LC_ALL", "C");

    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return new CommandResult(
          cmd, CommandResult.Outcome.FAILED_TO_START, OptionalInt.empty(), "",
          String.valueOf(e.getMessage()));
    }
    closeQuietly(process);
    StreamCapture out = StreamCapture.start(process.getInputStream(), "stdout");
    StreamCapture err = StreamCapture.start(process.getErrorStream(), "stderr");
    try {
      boolean finished = process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS);
      if (!finished) {
        killWithDescendants(process);
        return finish(cmd, CommandResult.Outcome.TIMED_OUT, OptionalInt.empty(), out, err,
            System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      }
      return finish(cmd, CommandResult.Outcome.EXITED, OptionalInt.of(process.exitValue()),
          out, err, deadline);
    } catch (InterruptedException e) {
      killWithDescendants(process);
      Thread.currentThread().interrupt();
      return new CommandResult(
          cmd, CommandResult.Outcome.INTERRUPTED, OptionalInt.empty(), out.text(), err.text());
    }
  }

  private static CommandResult finish(
      List<String> cmd, CommandResult.Outcome outcome, OptionalInt exitCode,
      StreamCapture out, StreamCapture err, long deadline) throws InterruptedException {
    // The process is gone, but a grandchild it left behind may still hold the pipes open:
    // wait for the end of the output only until the deadline, then keep what arrived.
    out.awaitEnd(deadline);
    err.awaitEnd(deadline);
    return new CommandResult(cmd, outcome, exitCode, out.text(), err.text());
  }

  private static void killWithDescendants(Process process) {
    // Take the list first: once the parent is dead its children are re-parented and can no
    // longer be found through it.
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // The command may already have exited; it gets end-of-input either way.
    }
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static Duration checkedTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return timeout;
  }

  /** Reads one output stream of a child on a daemon thread, keeping the first bytes. */
  private static final class StreamCapture implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread thread;

    private StreamCapture(InputStream in, String name) {
      this.in = in;
      this.thread = new Thread(this, "bgservice-command-" + name);
      // A reader stuck on a pipe held by an escaped grandchild must not keep the JVM alive.
      thread.setDaemon(true);
    }

    static StreamCapture start(InputStream in, String name) {
      StreamCapture capture = new StreamCapture(in, name);
      capture.thread.start();
      return capture;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (kept) {
            int room = MAX_CAPTURED_BYTES - kept.size();
            if (room > 0) {
              kept.write(buffer, 0, Math.min(room, n));
            }
          }
        }
      } catch (IOException ignored) {
        // The pipe closed under us (the process was killed): keep what arrived.
      }
    }

    void awaitEnd(long deadline) throws InterruptedException {
      long millis = TimeUnit.NANOSECONDS.toMillis(remaining(deadline));
      thread.join(Math.max(1, millis));
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Override
  public String toString() {
    return "SystemCommands{searchPath=" + searchPath + ", timeout=" + timeout + "}";
  }
}
