package dev.bgservice.os.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a golden file under {@code src/test/resources/golden}. Run the
 * tests with the environment variable {@code GOLDEN_UPDATE=1} to rewrite the golden files from
 * the current output (then review the diff).
 */
public final class Golden {
  private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

  private Golden() {}

  /** Asserts {@code actual} equals the golden file {@code name}, byte for byte. */
  public static void assertMatches(String name, String actual) {
    Path file = DIRECTORY.resolve(name);
    try {
      if ("1".equals(System.getenv("GOLDEN_UPDATE"))) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(file).as("golden file %s (GOLDEN_UPDATE=1 creates it)", file).exists();
      assertThat(actual).as("output compared with golden file %s", file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
