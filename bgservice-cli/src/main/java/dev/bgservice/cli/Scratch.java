package dev.bgservice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A temporary work directory and the child processes a command starts in it, for commands that
 * must leave nothing behind ({@code demo}, {@code bench}): closing kills the children and deletes
 * the directory, and so does the JVM's exit, so Ctrl-C leaves no process and no socket either.
 */
public final class Scratch implements AutoCloseable {
  private final Path dir;
  private final List<Process> children = new CopyOnWriteArrayList<>();
  private final Thread onExit;

  private Scratch(Path dir) {
    this.dir = dir;
    this.onExit = new Thread(this::cleanUp, "bgs-scratch-cleanup");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** A new, empty temporary directory named after {@code prefix}. */
  public static Scratch create(String prefix) throws IOException {
    return new Scratch(Files.createTempDirectory(prefix));
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** A path inside the directory. */
  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Makes {@code child} (and its descendants) end when this scratch space is closed. */
  public Process track(Process child) {
    children.add(child);
    return child;
  }

  /** Kills the children that still run and deletes the directory. */
  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
  }

  private void cleanUp() {
    for (Process child : children) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
    }
    for (Process child : children) {
      try {
        child.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort: a temporary directory
      }
    }
  }
}
