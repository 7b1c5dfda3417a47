package dev.bgservice.cli;

import java.util.List;

/**
 * The JVM flags a sidecar runs with: the {@code ./bgs} launcher's small, quick-starting JVM (an
 * idle sidecar needs little heap and no C2 compiler), or {@code BGS_JAVA_OPTS} when it is set, as
 * the launcher does. Used for the sidecars that {@code demo} and {@code bench} start and for the
 * one {@code install} installs.
 */
public final class SidecarJvm {
  /** The launcher's default flags; keep in step with the {@code bgs} script. */
  public static final String DEFAULT_FLAGS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAM=256m";

  private SidecarJvm() {}

  /** {@code BGS_JAVA_OPTS} split at white space if it is set, else {@link #DEFAULT_FLAGS}. */
  public static List<String> flags() {
    String options = System.getenv("BGS_JAVA_OPTS");
    String chosen = options == null || options.isBlank() ? DEFAULT_FLAGS : options.trim();
    return List.of(chosen.split("\\s+"));
  }
}
