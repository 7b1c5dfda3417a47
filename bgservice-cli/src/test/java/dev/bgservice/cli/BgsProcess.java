package dev.bgservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code bgs} jar as a separate process. */
final class BgsProcess {
  private BgsProcess() {}

  /** The outcome of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("bgs.jar", "target/bgs.jar"));
    assertThat(jar).as("the shaded jar (built by mvn package)").exists();
    return jar;
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a command to completion (at most 60 s) and captures its output. */
  static Result run(String... args) throws IOException, InterruptedException {
    return run(command(args), Map.of());
  }

  /**
   * Runs a full command line (see {@link #command}) with extra environment variables, to
   * completion (at most 60 s), and captures its output.
   */
  static Result run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("bgs-out", ".txt");
    Path err = Files.createTempFile("bgs-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A running {@code bgs serve}, ready once constructed. */
  static final class Server implements AutoCloseable {
    final Process process;
    final Path socket;

    Server(Path socket, Path stateDir, Path log) throws IOException {
      this.process = new ProcessBuilder(command(
              "serve", "--socket", socket.toString(), "--state-dir", stateDir.toString()))
          .redirectError(log.toFile())
          .start();
      BufferedReader stdout = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = stdout.readLine();
      if (first == null) {
        throw new AssertionError("bgs serve exited before ready: " + Files.readString(log));
      }
      assertThat(first).isEqualTo("ready " + socket.toAbsolutePath());
      this.socket = socket;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
