package dev.bgservice.platform;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A directory of small shell scripts that stand in for system tools ({@code systemctl}, {@code
 * loginctl}, ...), and a {@link SystemCommands} whose search path is only that directory: tests
 * run real processes with the answers they need, without touching the machine's services.
 */
public final class ScriptDir {
  private final Path dir;

  private ScriptDir(Path dir) {
    this.dir = dir;
  }

  /** Scripts in {@code dir}; skips the test where there is no POSIX shell. */
  public static ScriptDir in(Path dir) {
    assumeTrue(OperatingSystem.current() != OperatingSystem.WINDOWS,
        "fake system tools are shell scripts; no POSIX shell on Windows");
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "fake system tools need /bin/sh");
    return new ScriptDir(dir);
  }

  /** Writes an executable script {@code name} whose body is {@code shellBody}. */
  public Path script(String name, String shellBody) {
    Path file = dir.resolve(name);
    try {
      Files.writeString(file, "#!/bin/sh\n" + shellBody + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** Commands found only in this directory, with the default timeout. */
  public SystemCommands commands() {
    return SystemCommands.withSearchPath(List.of(dir));
  }

  /** Single-quotes {@code s} for a shell script. */
  public static String shellQuoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
