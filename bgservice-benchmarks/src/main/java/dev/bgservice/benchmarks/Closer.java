package dev.bgservice.benchmarks;

/** Closes the resources of a benchmark trial, every one even when an earlier one fails. */
final class Closer {
  private Closer() {}

  /**
   * Closes {@code resources} in the order given, skipping nulls (a setup that failed halfway),
   * and rethrows the first failure with the later ones suppressed.
   */
  static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
