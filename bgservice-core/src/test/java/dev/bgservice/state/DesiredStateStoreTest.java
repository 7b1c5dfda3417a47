package dev.bgservice.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DesiredStateStoreTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07.089Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private DesiredStateStore open() {
    return DesiredStateStore.builder(dir, "demo").clock(CLOCK).open();
  }

  private static DesiredState running(StartConfig config) {
    return new DesiredState(
        true, Optional.of(config), OptionalLong.of(42), OptionalLong.empty(), 0, false,
        Optional.empty());
  }

  @Test
  void nothingPersistedUntilTheFirstWrite() {
    DesiredStateStore store = open();

    assertThat(store.readPersisted()).isEmpty();
    assertThat(store.current()).isEqualTo(DesiredState.initial());
    assertThat(store.problems()).isEmpty();
    assertThat(store.file()).isEqualTo(dir.toAbsolutePath().resolve("demo.state.json"));
    assertThat(store.file()).doesNotExist();
  }

  @Test
  void writesTheA6FieldsWithASchemaVersionAndReadsThemBack() throws IOException {
    DesiredStateStore store = open();
    DesiredState state = running(new StartConfig("Syncing", "dataSync", null));

    store.write(state);

    JsonNode json = new ObjectMapper().readTree(store.file().toFile());
    assertThat(json.get("schemaVersion").intValue()).isEqualTo(1);
    assertThat(json.get("desiredRunning").booleanValue()).isTrue();
    assertThat(json.get("lastStartConfig").get("serviceLabel").textValue()).isEqualTo("Syncing");
    assertThat(json.get("lastStartEpochMs").longValue()).isEqualTo(42);
    assertThat(json.get("restartAttempt").intValue()).isZero();
    assertThat(json.get("recoveryPending").booleanValue()).isFalse();
    assertThat(open().readPersisted()).contains(state);
  }

  @Test
  void theFileIsPrivateToItsUser() throws IOException {
    Assumptions.assumeTrue(posix(), "no POSIX permissions on this file system");
    DesiredStateStore store = open();
    store.write(DesiredState.initial());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
  }

  @Test
  void createsAMissingDirectory() {
    Path nested = dir.resolve("a").resolve("b");

    DesiredStateStore store = DesiredStateStore.open(nested, "demo");
    store.write(DesiredState.initial());

    assertThat(nested.resolve("demo.state.json")).isRegularFile();
  }

  @Test
  void updateIsAReadModifyWrite() {
    DesiredStateStore store = open();
    store.write(running(StartConfig.defaults()));

    DesiredState after = store.update(s -> withAttempt(s, s.restartAttempt() + 3));

    assertThat(after.restartAttempt()).isEqualTo(3);
    assertThat(after.desiredRunning()).isTrue();
    assertThat(store.current()).isEqualTo(after);
  }

  @Test
  void anUnchangedPersistedStateIsNotRewritten() throws IOException {
    DesiredStateStore store = open();
    store.write(DesiredState.initial());
    Object before = fileKey(store.file());
    Assumptions.assumeTrue(before != null, "this file system has no file keys");

    store.update(s -> s);

    // A rewrite renames a new file over the old one, which changes the file key.
    assertThat(fileKey(store.file())).isEqualTo(before);
    store.update(s -> withAttempt(s, 1));
    assertThat(fileKey(store.file())).isNotEqualTo(before);
  }

  @Test
  void anUpdateReturningTheInitialStateStillPersistsIt() {
    DesiredStateStore store = open();

    store.update(s -> s);

    assertThat(store.readPersisted()).contains(DesiredState.initial());
  }

  @Test
  void aFileWithoutSchemaVersionIsReadAsVersionOne() throws IOException {
    Files.writeString(dir.resolve("demo.state.json"), "{\"desiredRunning\":true,\"restartAttempt\":2}");

    DesiredStateStore store = open();

    assertThat(store.current().desiredRunning()).isTrue();
    assertThat(store.current().restartAttempt()).isEqualTo(2);
    assertThat(store.problems()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "this is not json",
        "{\"schemaVersion\":1,\"desiredRunning\":tr",
        "{\"schemaVersion\":1,\"desiredRunning\":\"yes\"}",
        "{\"schemaVersion\":1,\"restartAttempt\":-1}",
        "{\"schemaVersion\":1,\"restartAttempt\":99999999999}",
        "{\"schemaVersion\":\"one\"}",
        "{\"schemaVersion\":0}",
        "[1,2,3]",
        "{\"desiredRunning\":true} trailing",
        "",
        "\u0000\u0000\u0000"
      })
  void aCorruptFileIsPreservedByteForByteAndReported(String contents) throws IOException {
    byte[] garbage = contents.getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("demo.state.json");
    Files.write(file, garbage);

    DesiredStateStore store = open();

    assertThat(store.readPersisted()).isEmpty();
    assertThat(store.current()).isEqualTo(DesiredState.initial());
    Path aside = dir.resolve("demo.state.json.corrupt-20250304T050607089Z").toAbsolutePath();
    assertThat(aside).exists();
    assertThat(Files.readAllBytes(aside)).isEqualTo(garbage);
    assertThat(store.preservedCopies()).containsExactly(aside);
    assertThat(store.problems()).hasSize(1);
    StoreProblem problem = store.problem().orElseThrow();
    assertThat(problem.kind()).isEqualTo(StoreProblem.Kind.CORRUPT_FILE_PRESERVED);
    assertThat(problem.preservedCopy()).contains(aside);
    assertThat(problem.message()).contains(file.getFileName().toString()).contains(aside.toString());
    assertThat(problem.detectedAt()).isEqualTo(CLOCK.instant());
    assertThat(problem.toSetupIssue("linux").code()).isEqualTo("state_file_corrupt");
    assertThat(problem.toSetupIssue("linux").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void theStoreWorksAfterACorruptFileAndKeepsReportingIt() throws IOException {
    Files.writeString(dir.resolve("demo.state.json"), "garbage");
    DesiredStateStore store = open();

    store.write(running(StartConfig.defaults()));

    assertThat(store.current().desiredRunning()).isTrue();
    assertThat(store.problem().map(StoreProblem::kind))
        .contains(StoreProblem.Kind.CORRUPT_FILE_PRESERVED);
  }

  @Test
  void twoCorruptionsInTheSameMillisecondKeepBothCopies() throws IOException {
    Path file = dir.resolve("demo.state.json");
    Files.writeString(file, "first");
    DesiredStateStore store = open();
    Files.writeString(file, "second");

    assertThat(store.readPersisted()).isEmpty();

    List<Path> copies = store.preservedCopies();
    assertThat(copies).hasSize(2);
    List<String> contents = new ArrayList<>();
    for (Path copy : copies) {
      contents.add(Files.readString(copy));
    }
    assertThat(contents).containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void aNewerSchemaIsReadButNeverOverwrittenNorMoved() throws IOException {
    Path file = dir.resolve("demo.state.json");
    String newer = "{\"schemaVersion\":2,\"desiredRunning\":true,\"futureField\":{\"x\":1}}";
    Files.writeString(file, newer);

    DesiredStateStore store = open();

    assertThat(store.readPersisted().map(DesiredState::desiredRunning)).contains(true);
    assertThat(store.problem().map(StoreProblem::kind)).contains(StoreProblem.Kind.NEWER_SCHEMA);
    assertThat(store.problem().orElseThrow().toSetupIssue("linux").severity())
        .isEqualTo(Severity.ERROR);
    assertThatThrownBy(() -> store.write(DesiredState.initial()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("newer bgservice")
        .hasMessageContaining("schema version 2");
    assertThat(Files.readString(file)).isEqualTo(newer);
    assertThat(store.preservedCopies()).isEmpty();

    // Once the newer file is gone the problem clears and writes work again.
    Files.delete(file);
    store.write(DesiredState.initial());
    assertThat(store.problems()).isEmpty();
  }

  @Test
  void aNewerSchemaWhoseKnownFieldsChangedTypeIsNotCorruption() throws IOException {
    Path file = dir.resolve("demo.state.json");
    Files.writeString(file, "{\"schemaVersion\":7,\"desiredRunning\":{\"mode\":\"always\"}}");

    DesiredStateStore store = open();

    assertThat(store.readPersisted()).isEmpty();
    assertThat(store.preservedCopies()).isEmpty();
    assertThat(file).exists();
    assertThat(store.problem().map(StoreProblem::kind)).contains(StoreProblem.Kind.NEWER_SCHEMA);
  }

  @Test
  void openRemovesTemporaryFilesOfInterruptedWritesOnly() throws IOException {
    Path stale = Files.writeString(dir.resolve("demo.state.json.123456.tmp"), "{\"desired");
    Path otherLabel = Files.writeString(dir.resolve("demo.state.json.x.state.json.1.tmp"), "x");
    Path unrelated = Files.writeString(dir.resolve("demo.state.json.notes.tmp"), "x");

    open();

    assertThat(stale).doesNotExist();
    assertThat(otherLabel).exists();
    assertThat(unrelated).exists();
  }

  @Test
  void concurrentUpdatesFromManyThreadsAndStoresAreSerialised() throws Exception {
    DesiredStateStore first = open();
    DesiredStateStore second = open();
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        DesiredStateStore store = t % 2 == 0 ? first : second;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    store.update(s -> withAttempt(s, s.restartAttempt() + 1));
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(open().current().restartAttempt()).isEqualTo(threads * perThread);
  }

  @Test
  void callingTheStoreFromItsOwnUpdateIsRefused() {
    DesiredStateStore store = open();

    assertThatThrownBy(() -> store.update(s -> store.current()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must not be called from its own update");
  }

  @Test
  void aLockHeldTooLongFailsInsteadOfHanging() throws Exception {
    DesiredStateStore holder = open();
    DesiredStateStore waiter =
        DesiredStateStore.builder(dir, "demo").lockTimeout(Duration.ofMillis(100)).open();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> held =
          pool.submit(
              () ->
                  holder.update(
                      s -> {
                        holding.countDown();
                        try {
                          release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return s;
                      }));
      assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(waiter::current)
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining("stayed locked");

      release.countDown();
      held.get(30, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(waiter.readPersisted()).contains(DesiredState.initial());
  }

  @Test
  void anUnwritableDirectoryFailsTheWriteKeepsTheFileAndReportsIt() throws IOException {
    Assumptions.assumeTrue(posix(), "no POSIX permissions on this file system");
    DesiredStateStore store = open();
    DesiredState before = running(StartConfig.defaults());
    store.write(before);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    try {
      Assumptions.assumeFalse(
          Files.isWritable(dir), "this user may write to read-only directories (root?)");
      assertThatThrownBy(() -> store.write(DesiredState.initial()))
          .isInstanceOf(StateStoreException.class)
          .hasMessageStartingWith("Cannot write the desired state file " + store.file());
      assertThat(store.problem().map(StoreProblem::kind)).contains(StoreProblem.Kind.IO_FAILURE);
      assertThat(store.current()).isEqualTo(before);
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
    store.write(DesiredState.initial());
    assertThat(store.problems()).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("demo.state.json", "demo.state.lock");
    }
  }

  @Test
  void anUnreadableFileFailsTheCallIsReportedAndLeftAlone() throws IOException {
    // A directory where the file should be: unreadable for every user, root included.
    Path file = Files.createDirectory(dir.resolve("demo.state.json"));
    Files.writeString(file.resolve("keep.txt"), "mine");

    assertThatThrownBy(this::open)
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("Cannot read the desired state file " + file.toAbsolutePath());

    DesiredStateStore store;
    Files.move(file, dir.resolve("moved"));
    store = open();
    Files.move(dir.resolve("moved"), file);
    assertThatThrownBy(() -> store.update(s -> s)).isInstanceOf(StateStoreException.class);
    assertThat(store.problem().map(StoreProblem::kind)).contains(StoreProblem.Kind.IO_FAILURE);
    assertThat(store.problem().orElseThrow().toSetupIssue("linux").code())
        .isEqualTo("state_file_unavailable");
    assertThat(Files.readString(file.resolve("keep.txt"))).isEqualTo("mine");
    assertThat(store.preservedCopies()).isEmpty();
  }

  @Test
  void rejectsInvalidLabelsAndTimeouts() {
    assertThatThrownBy(() -> DesiredStateStore.open(dir, "../evil"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DesiredStateStore.builder(dir, "ok").lockTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lockTimeout must be positive");
  }

  private static DesiredState withAttempt(DesiredState s, int attempt) {
    return new DesiredState(
        s.desiredRunning(),
        s.lastStartConfig(),
        s.lastStartEpochMs(),
        s.lastHeartbeatEpochMs(),
        attempt,
        s.recoveryPending(),
        s.recoveryReason());
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
