package dev.bgservice.os.host;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.CommandRunner;
import dev.bgservice.os.command.RecordingCommandRunner;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The machine as one operation sees it: every file it writes or deletes and every command it
 * runs goes through here, and is recorded as a {@link Step}. In a dry run, files are not
 * touched and change commands are only recorded; queries still run so that the printed plan
 * is the real one.
 *
 * <p>Not thread-safe: one instance serves one operation on one thread.
 */
public final class Host {
  private final CommandRunner runner;
  private final boolean dryRun;
  private final List<Step> steps = new ArrayList<>();
  private final Set<Path> plannedDirectories = new HashSet<>();

  private Host(CommandRunner runner, boolean dryRun) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.dryRun = dryRun;
  }

  /** Changes the machine for real, running commands through {@code runner}. */
  public static Host live(CommandRunner runner) {
    return new Host(runner, false);
  }

  /**
   * Changes nothing: files are only recorded, and commands go to a {@link
   * RecordingCommandRunner#dryRun recording runner} that passes only queries to {@code runner}.
   */
  public static Host dryRun(CommandRunner runner) {
    return new Host(
        runner instanceof RecordingCommandRunner ? runner : RecordingCommandRunner.dryRun(runner),
        true);
  }

  /** Whether this is a dry run. */
  public boolean isDryRun() {
    return dryRun;
  }

  /** Runs {@code command} and returns its result, whatever the exit status. */
  public CommandResult run(Command command) {
    steps.add(new Step.RunCommand(command));
    return runner.run(command);
  }

  /**
   * Runs {@code command} and returns its result.
   *
   * @throws OsServiceException when it exits with a non-zero status
   */
  public CommandResult runChecked(Command command) {
    return run(command).requireSuccess(command);
  }

  /** Writes {@code content} to {@code path} atomically, creating parent directories. */
  public void write(Path path, String content, Charset charset) {
    steps.add(new Step.WriteFile(path, content, charset));
    if (dryRun) {
      return;
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      // Write beside the target and rename, so a reader never sees half a file.
      Path temp = Files.createTempFile(parent, "." + path.getFileName(), ".tmp");
      try {
        Files.writeString(temp, content, charset);
        moveIntoPlace(temp, path);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw ioFailure("write", path, e);
    }
  }

  /** Deletes {@code path} if it exists; records the step only when there was a file. */
  public void delete(Path path) {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    steps.add(new Step.DeleteFile(path));
    if (dryRun) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw ioFailure("delete", path, e);
    }
  }

  /** Creates {@code directory} and its parents; records the step only when it was missing. */
  public void createDirectories(Path directory) {
    // A dry run creates nothing, so without this set it would plan the same directory twice.
    if (Files.isDirectory(directory) || !plannedDirectories.add(directory.toAbsolutePath())) {
      return;
    }
    steps.add(new Step.CreateDirectory(directory));
    if (dryRun) {
      return;
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw ioFailure("create the directory", directory, e);
    }
  }

  /** Creates the directory {@code file} will be in, if it has one and it is missing. */
  public void createParentDirectories(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      createDirectories(parent);
    }
  }

  /** Records a step that the caller performs itself (only when this is not a dry run). */
  public void record(Step step) {
    steps.add(Objects.requireNonNull(step, "step"));
  }

  /** Records a note: something found out or advised, with no effect. */
  public void note(String text) {
    record(new Step.Note(text));
  }

  /** The steps so far. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** A report of everything recorded so far. */
  public OperationReport report(String operation, String label) {
    return new OperationReport(operation, label, dryRun, steps);
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static OsServiceException ioFailure(String what, Path path, IOException e) {
    return new OsServiceException(
        ErrorCode.INTERNAL, "Could not " + what + " " + path + ": " + e.getMessage(), e);
  }
}
