package dev.bgservice.os.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the {@code java} binary of the running JVM, so the sidecar runs on the same runtime. */
public final class JavaRuntime {

  private JavaRuntime() {}

  /**
   * The {@code java} binary of this JVM: {@code $java.home/bin/java} when it exists, else the
   * command this process was started with when that is a {@code java} launcher.
   *
   * @throws IllegalStateException when neither is available, e.g. in an application image
   *     built without the {@code java} launcher; the caller must then name one
   */
  public static Path currentExecutable() {
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    Path fromHome =
        Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    if (Files.isExecutable(fromHome)) {
      return fromHome.toAbsolutePath();
    }
    // An application launcher (jpackage) is not a java launcher: it would start the app, not
    // the sidecar, so only accept a command whose name says it is java.
    Optional<Path> command =
        ProcessHandle.current().info().command().map(Path::of)
            .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).startsWith("java"))
            .filter(Files::isExecutable);
    return command.orElseThrow(
        () ->
            new IllegalStateException(
                "Cannot find the java launcher of this runtime (looked for "
                    + fromHome
                    + "); pass the java executable explicitly"));
  }
}
