package dev.bgservice.os.launch;

import java.util.List;

/**
 * What the JVM of a {@link LaunchSpec} runs: a main class on a class path, or an executable
 * jar.
 */
public sealed interface LaunchTarget permits ClassPathTarget, JarTarget {

  /** The {@code java} arguments that select this target, e.g. {@code -cp <cp> <main>}. */
  List<String> javaArguments(String pathSeparator);
}
