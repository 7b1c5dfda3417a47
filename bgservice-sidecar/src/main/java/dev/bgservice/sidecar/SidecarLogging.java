package dev.bgservice.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends the sidecar's log (SLF4J, bound to java.util.logging) to a size-rotated file in the
 * state directory and, optionally, to standard error, one line per record.
 */
final class SidecarLogging {
  private static final int FILE_LIMIT_BYTES = 1024 * 1024;
  private static final int FILE_COUNT = 5;

  private SidecarLogging() {}

  /**
   * Installs the handlers on the root logger, replacing the defaults.
   *
   * @throws IOException if the log directory or file cannot be created
   */
  static void configure(Path logFile, boolean toStderr) throws IOException {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format",
        "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
    Files.createDirectories(logFile.getParent());
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    // "%g" numbers the rotated files: <label>.log.0 is the newest.
    FileHandler file =
        new FileHandler(logFile.toString() + ".%g", FILE_LIMIT_BYTES, FILE_COUNT, true);
    file.setFormatter(new SimpleFormatter());
    file.setLevel(Level.INFO);
    root.addHandler(file);
    if (toStderr) {
      ConsoleHandler console = new ConsoleHandler();
      console.setFormatter(new SimpleFormatter());
      console.setLevel(Level.INFO);
      root.addHandler(console);
    }
    root.setLevel(Level.INFO);
  }
}
