package dev.bgservice.os.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A main class on a class path: {@code java -cp <classPath> <mainClass>}.
 *
 * @param classPath the class path entries, in order; never empty
 * @param mainClass the binary name of the class whose {@code main} runs
 */
public record ClassPathTarget(List<Path> classPath, String mainClass) implements LaunchTarget {
  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  /** Copies the class path and checks the main class is a class name. */
  public ClassPathTarget {
    classPath = List.copyOf(classPath);
    Objects.requireNonNull(mainClass, "mainClass");
    if (classPath.isEmpty()) {
      throw new IllegalArgumentException("the class path must not be empty");
    }
    if (!CLASS_NAME.matcher(mainClass).matches()) {
      throw new IllegalArgumentException("not a Java class name: '" + mainClass + "'");
    }
  }

  /** The class path as one string, entries joined by {@code pathSeparator}. */
  public String joinedClassPath(String pathSeparator) {
    return classPath.stream().map(Path::toString).collect(Collectors.joining(pathSeparator));
  }

  @Override
  public List<String> javaArguments(String pathSeparator) {
    return List.of("-cp", joinedClassPath(pathSeparator), mainClass);
  }
}
