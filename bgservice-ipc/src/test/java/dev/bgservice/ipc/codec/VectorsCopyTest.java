package dev.bgservice.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The test resource {@code protocol/vectors.json} must be a byte-identical copy of the shared
 * {@code ../shared/protocol/vectors.json} beside the repository, when that file exists.
 */
class VectorsCopyTest {

  @Test
  void copyMatchesTheSharedVectors() throws IOException {
    Optional<Path> shared = sharedVectors();
    String reason =
        "skipped: no ../shared/protocol/vectors.json beside the repository root ("
            + mavenRoot().map(Path::toString).orElse("not found")
            + ")";
    if (shared.isEmpty()) {
      System.out.println(reason);
    }
    assumeTrue(shared.isPresent(), reason);

    byte[] copy;
    try (InputStream in = getClass().getResourceAsStream("/protocol/vectors.json")) {
      assertThat(in).isNotNull();
      copy = in.readAllBytes();
    }
    assertThat(copy)
        .as("src/test/resources/protocol/vectors.json equals %s", shared.get())
        .isEqualTo(Files.readAllBytes(shared.get()));
  }

  private static Optional<Path> sharedVectors() {
    return mavenRoot()
        .map(Path::getParent)
        .map(parent -> parent.resolve("shared").resolve("protocol").resolve("vectors.json"))
        .filter(Files::isRegularFile);
  }

  /** The topmost directory holding a pom.xml, walking up from the working directory. */
  private static Optional<Path> mavenRoot() {
    Path root = null;
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))) {
        root = dir;
      }
    }
    return Optional.ofNullable(root);
  }
}
