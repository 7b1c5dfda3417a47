package dev.bgservice.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.status.DesiredState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs writing the same state file: killed mid-write, and racing each other. */
class StoreCrashSafetyTest {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aWriterKilledAtRandomMomentsAlwaysLeavesOneCompleteState() throws Exception {
    Random random = new Random(20250304L);
    Path stderr = dir.resolve("children.err");
    Path stateDir = Files.createDirectory(dir.resolve("state"));
    int lastSeen = 0;
    for (int iteration = 0; iteration < 20; iteration++) {
      // Kill after the child reported between 1 and 20 further writes; it keeps writing while
      // we read its output, so the kill lands at an arbitrary point of some write.
      int reportsBeforeKill = 1 + random.nextInt(20);
      int reported = lastSeen;
      try (ChildJvm child =
          ChildJvm.start(StoreWriterProcess.class, stderr, "write", stateDir.toString(), "demo")) {
        for (int i = 0; i < reportsBeforeKill; i++) {
          String line = child.readLine(CHILD_TIMEOUT);
          assertThat(line).as("child output (see %s)", stderr).isNotNull();
          reported = Integer.parseInt(line);
        }
        child.kill();
      }

      DesiredStateStore store = DesiredStateStore.open(stateDir, "demo");
      DesiredState state = store.readPersisted().orElseThrow();
      assertThat(StoreWriterProcess.isStateFor(state))
          .as("iteration %d: a complete state of one write", iteration)
          .isTrue();
      assertThat(state.restartAttempt())
          .as("iteration %d: no write the child finished is lost", iteration)
          .isGreaterThanOrEqualTo(reported)
          .isGreaterThan(lastSeen);
      assertThat(store.problems()).isEmpty();
      assertThat(store.preservedCopies()).isEmpty();
      lastSeen = state.restartAttempt();
    }
    try (Stream<Path> files = Files.list(stateDir)) {
      // Opening the store removed every temporary file a kill left behind.
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("demo.state.json", "demo.state.lock");
    }
  }

  @Test
  void twoProcessesIncrementingViaUpdateLoseNoIncrement() throws Exception {
    int times = 150;
    Path stderr = dir.resolve("children.err");
    Path stateDir = Files.createDirectory(dir.resolve("state"));
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        children.add(
            ChildJvm.start(
                StoreWriterProcess.class,
                stderr,
                "increment",
                stateDir.toString(),
                "demo",
                Integer.toString(times)));
      }
      for (ChildJvm child : children) {
        assertThat(child.readLine(CHILD_TIMEOUT)).as("see %s", stderr).isEqualTo("ready");
      }
      // Both are ready: release them together so that their updates interleave.
      for (ChildJvm child : children) {
        child.writeLine("go");
      }
      for (ChildJvm child : children) {
        assertThat(child.readLine(CHILD_TIMEOUT)).as("see %s", stderr).isEqualTo("done");
        assertThat(child.waitFor(CHILD_TIMEOUT)).isZero();
      }
    } finally {
      for (ChildJvm child : children) {
        child.close();
      }
    }

    assertThat(DesiredStateStore.open(stateDir, "demo").current().restartAttempt())
        .isEqualTo(2 * times);
  }
}
