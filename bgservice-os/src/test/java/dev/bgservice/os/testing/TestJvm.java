package dev.bgservice.os.testing;

import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.launch.JavaRuntime;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.launch.LaunchSpecs;
import java.nio.file.Path;
import java.util.List;

/** Launch specs that run test fixtures on this JVM's runtime and class path. */
public final class TestJvm {
  /** Options that make a short-lived fixture JVM start quickly. */
  public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx64m");

  private TestJvm() {}

  /** Runs {@code mainClass} with {@code args}, logs in {@code logDir}. */
  public static LaunchSpec spec(Class<?> mainClass, Path logDir, String... args) {
    return LaunchSpec.builder(
            JavaRuntime.currentExecutable(),
            new ClassPathTarget(LaunchSpecs.currentClassPath(), mainClass.getName()))
        .jvmOptions(FAST_START)
        .programArgs(args)
        .logs(logDir.resolve("out.log"), logDir.resolve("err.log"))
        .build();
  }
}
