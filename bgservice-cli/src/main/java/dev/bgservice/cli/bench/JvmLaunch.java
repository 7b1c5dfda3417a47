package dev.bgservice.cli.bench;

import dev.bgservice.cli.SidecarJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts JVMs the way the {@code ./bgs} launcher does (same java, class path and flags) and times
 * them to their first line of output.
 */
final class JvmLaunch {
  private final List<String> flags;

  private JvmLaunch(List<String> flags) {
    this.flags = List.copyOf(flags);
  }

  /** The launcher's flags (see {@link SidecarJvm}). */
  static JvmLaunch likeLauncher() {
    return new JvmLaunch(SidecarJvm.flags());
  }

  /** The flags every JVM of this launch gets. */
  List<String> flags() {
    return flags;
  }

  /** A JVM started and seen to print its first line. */
  record Started(Process process, String firstLine, long nanosToFirstLine) {}

  /**
   * Starts {@code mainClass} with {@code args} and waits for its first line on stdout; stderr goes
   * to {@code log}.
   *
   * @throws IOException if it cannot start or ends before printing a line
   */
  Started start(String mainClass, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    long begin = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = stdout.readLine();
    long took = System.nanoTime() - begin;
    if (line == null) {
      process.destroyForcibly();
      throw new IOException(mainClass + " ended without output; its log is " + log);
    }
    return new Started(process, line, took);
  }

  /** Ends a process, politely first; true if it is gone. */
  static boolean stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return process.waitFor(5, TimeUnit.SECONDS);
    }
    return true;
  }

  /** The resident set size of a process in bytes, where the OS tells it. */
  static Optional<Long> residentBytes(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      if (Files.isReadable(status)) {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
          if (line.startsWith("VmRSS:")) {
            return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
          }
        }
      }
      Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
      String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return ps.waitFor(5, TimeUnit.SECONDS) && ps.exitValue() == 0 && out.matches("\\d+")
          ? Optional.of(Long.parseLong(out) * 1024)
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
