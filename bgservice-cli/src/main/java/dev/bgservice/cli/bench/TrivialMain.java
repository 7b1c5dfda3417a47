package dev.bgservice.cli.bench;

/**
 * The reference point of the sidecar's start time: a JVM that does nothing but say it is ready,
 * launched with the same flags and class path as the sidecar.
 */
public final class TrivialMain {
  private TrivialMain() {}

  /** Prints {@code ready} and exits. */
  public static void main(String[] args) {
    System.out.println("ready");
  }
}
