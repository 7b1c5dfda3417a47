package dev.bgservice.benchmarks;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the product's routine INFO lines (server listening, sidecar started) out of the JMH
 * output, which they would interleave with the figures; warnings still show, since a warning
 * during a benchmark (a slow client cut off, say) is worth seeing.
 */
final class QuietLogs {
  // java.util.logging holds loggers weakly: without this reference the level could be lost.
  private static final Logger PRODUCT = Logger.getLogger("dev.bgservice");

  private QuietLogs() {}

  /** Raises the product's log level to WARNING in this JVM. */
  static void apply() {
    PRODUCT.setLevel(Level.WARNING);
  }
}
