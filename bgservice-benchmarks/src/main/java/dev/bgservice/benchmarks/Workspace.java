package dev.bgservice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory for one benchmark trial (sockets, state files), deleted with
 * everything in it on {@link #close()}, or when the JVM exits if it was not closed: JMH skips the
 * trial's tear-down when a benchmark fails, and ends the forked JVM.
 *
 * <p>Created with mode 0700, as the IPC server requires of a socket's directory.
 */
final class Workspace implements AutoCloseable {
  private final Path directory;
  private final Thread deleteAtExit;

  private Workspace(Path directory) {
    this.directory = directory;
    this.deleteAtExit = new Thread(this::deleteAtExit, "bench-workspace-cleanup");
    Runtime.getRuntime().addShutdownHook(deleteAtExit);
  }

  /** Creates a new, empty workspace under the system's temporary directory. */
  static Workspace create() throws IOException {
    // A short prefix: a Unix socket path must stay within about 100 bytes.
    return new Workspace(Files.createTempDirectory("bgsb"));
  }

  /** {@code name} inside this workspace. */
  Path resolve(String name) {
    return directory.resolve(name);
  }

  /** Deletes the directory and everything in it, socket files included. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(deleteAtExit);
    } catch (IllegalStateException exiting) {
      // the hook is running or about to: it deletes the directory
      return;
    }
    delete();
  }

  private void deleteAtExit() {
    try {
      delete();
    } catch (UncheckedIOException e) {
      // Files may still be changing while the JVM goes down; say so in one line.
      System.err.println("could not delete " + directory + ": " + e.getCause());
    }
  }

  private void delete() {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the benchmark workspace " + directory, e);
    }
  }
}
