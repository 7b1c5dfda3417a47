package dev.bgservice.os.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An executable jar: {@code java -jar <jar>}, e.g. the {@code bgs} jar hosting a service.
 *
 * @param jar the jar file
 */
public record JarTarget(Path jar) implements LaunchTarget {

  /** Checks the jar is not null. */
  public JarTarget {
    Objects.requireNonNull(jar, "jar");
  }

  @Override
  public List<String> javaArguments(String pathSeparator) {
    return List.of("-jar", jar.toString());
  }
}
