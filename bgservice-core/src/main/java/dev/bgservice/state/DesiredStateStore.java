package dev.bgservice.state;

import dev.bgservice.concurrent.Durations;
import dev.bgservice.platform.Directories;
import dev.bgservice.service.ServiceLabel;
import dev.bgservice.status.DesiredState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted {@link DesiredState} of one service label: the file {@code
 * <directory>/<label>.state.json}, holding the PROTOCOL.md A.6 DesiredState fields plus {@code
 * "schemaVersion": 1}.
 *
 * <p><b>Durability.</b> Every write goes to a fresh temporary file in the same directory, is
 * forced to disk, atomically renamed over the state file, and then the directory itself is
 * forced (where the platform allows it), so after a crash at any moment the file holds either
 * the previous or the new complete state.
 *
 * <p><b>Concurrency.</b> Every read and write holds an exclusive {@link FileLock} on the
 * separate file {@code <label>.state.lock} (never deleted), which serialises processes, and a
 * lock shared by every store of the same file in this JVM, because file locks cannot serialise
 * threads of one JVM. {@link #update} is an atomic read-modify-write under both. A lock held
 * elsewhere for longer than the lock timeout (default 10 s) fails the call instead of hanging.
 *
 * <p><b>Bad contents are never lost.</b> A file that is not a valid state file (not JSON, wrong
 * field types, truncated, empty) is moved aside unchanged to {@code
 * <label>.state.json.corrupt-<UTC timestamp>}, the problem is reported by {@link #problems()},
 * and the store starts from {@link DesiredState#initial()}. A file with a higher {@code
 * schemaVersion} comes from a newer bgservice: it is read as far as its known fields allow, never
 * moved and never overwritten ({@link #update} fails), and reported as a problem. A file without
 * {@code schemaVersion} is read as version 1.
 */
public final class DesiredStateStore {
  private static final Logger log = LoggerFactory.getLogger(DesiredStateStore.class);

  /** The schema version this store writes. */
  public static final int SCHEMA_VERSION = StateFileFormat.SCHEMA_VERSION;

  /** The default time to wait for the lock before failing. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  /** Larger than any file this store writes (the protocol caps a frame at 16 MiB). */
  private static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  /** One lock per state file for the whole JVM: FileLock serialises processes, not threads. */
  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final String label;
  private final Path directory;
  private final Path file;
  private final Path lockFile;
  private final Clock clock;
  private final Duration lockTimeout;
  private final ReentrantLock jvmLock;
  private final Pattern temporaryName;
  private final Pattern preservedName;

  /** The corruption this store preserved; reported for the store's lifetime. */
  private volatile StoreProblem corruption;
  /** The current failure (newer schema, I/O); cleared by the next successful read or write. */
  private volatile StoreProblem failure;

  private DesiredStateStore(Builder builder) {
    this.label = builder.label;
    this.directory = builder.directory.toAbsolutePath().normalize();
    this.file = directory.resolve(label + ".state.json");
    this.lockFile = directory.resolve(label + ".state.lock");
    this.clock = builder.clock;
    this.lockTimeout = builder.lockTimeout;
    this.jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    String fileName = file.getFileName().toString();
    this.temporaryName = Pattern.compile(Pattern.quote(fileName) + "\\.\\d+\\.tmp");
    this.preservedName = Pattern.compile(Pattern.quote(fileName) + "\\.corrupt-\\d{8}T\\d{9}Z(-\\d+)?");
  }

  /**
   * Opens the store of {@code label} in {@code directory} with the defaults, creating the
   * directory if needed; see {@link Builder#open()}.
   */
  public static DesiredStateStore open(Path directory, String label) {
    return builder(directory, label).open();
  }

  /**
   * Starts configuring the store of {@code label} in {@code directory}.
   *
   * @throws IllegalArgumentException if the label is not valid ({@link ServiceLabel})
   */
  public static Builder builder(Path directory, String label) {
    return new Builder(directory, label);
  }

  /** The default state directory of this user: {@link Directories#stateRoot()}. */
  public static Path defaultDirectory() {
    return Directories.current().stateRoot();
  }

  /** The service label. */
  public String label() {
    return label;
  }

  /** The directory holding the state file (absolute). */
  public Path directory() {
    return directory;
  }

  /** The state file, {@code <directory>/<label>.state.json}. */
  public Path file() {
    return file;
  }

  /** How long a call waits for the lock before failing. */
  public Duration lockTimeout() {
    return lockTimeout;
  }

  /**
   * The persisted state, or empty when nothing is persisted: no file yet, or the file was
   * corrupt and has just been moved aside (see {@link #problems()}).
   *
   * @throws StateStoreException if the file cannot be read or locked
   */
  public Optional<DesiredState> readPersisted() {
    return locked(() -> readLocked().state());
  }

  /**
   * The persisted state, or {@link DesiredState#initial()} when nothing is persisted.
   *
   * @throws StateStoreException if the file cannot be read or locked
   */
  public DesiredState current() {
    return readPersisted().orElseGet(DesiredState::initial);
  }

  /**
   * Atomically replaces the state with {@code change} applied to the current one (the initial
   * state when nothing is persisted) and returns the new state. The file is rewritten unless the
   * state is persisted and unchanged. {@code change} runs under the locks: it must be quick and
   * must not call this store.
   *
   * @throws StateStoreException if the file cannot be read, written or locked, or belongs to a
   *     newer schema; the file is then unchanged
   * @throws IllegalStateException if called from inside an update function of the same file
   */
  public DesiredState update(UnaryOperator<DesiredState> change) {
    Objects.requireNonNull(change, "change");
    return locked(
        () -> {
          Loaded loaded = readLocked();
          if (loaded.newerSchema()) {
            throw new StateStoreException(
                "The desired state file "
                    + file
                    + " was written by a newer bgservice (schema version "
                    + loaded.schemaVersion()
                    + "); it is left untouched.");
          }
          DesiredState before = loaded.state().orElseGet(DesiredState::initial);
          DesiredState after =
              Objects.requireNonNull(change.apply(before), "the update function returned null");
          if (loaded.state().isEmpty() || !after.equals(before)) {
            writeLocked(after);
          }
          return after;
        });
  }

  /**
   * Replaces the persisted state with {@code state}.
   *
   * @throws StateStoreException as {@link #update}
   */
  public void write(DesiredState state) {
    Objects.requireNonNull(state, "state");
    update(ignored -> state);
  }

  /**
   * The problems a status should show, most urgent first: a current failure (newer schema,
   * unreadable or unwritable file), then a corrupt file this store preserved. Empty when all
   * is well.
   */
  public List<StoreProblem> problems() {
    List<StoreProblem> problems = new ArrayList<>(2);
    StoreProblem currentFailure = failure;
    StoreProblem preserved = corruption;
    if (currentFailure != null) {
      problems.add(currentFailure);
    }
    if (preserved != null) {
      problems.add(preserved);
    }
    return List.copyOf(problems);
  }

  /** The most urgent of {@link #problems()}, if any. */
  public Optional<StoreProblem> problem() {
    return problems().stream().findFirst();
  }

  /**
   * Every preserved corrupt copy of this label's state file in the directory, including those
   * preserved by earlier processes, sorted by name (oldest first). Empty if the directory
   * cannot be listed.
   */
  public List<Path> preservedCopies() {
    List<Path> copies = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (preservedName.matcher(entry.getFileName().toString()).matches()) {
          copies.add(entry);
        }
      }
    } catch (IOException e) {
      log.debug("cannot list {}", directory, e);
    }
    copies.sort(null);
    return List.copyOf(copies);
  }

  @Override
  public String toString() {
    return "DesiredStateStore[" + file + "]";
  }

  // ---- internals; *Locked methods require both locks ----

  private Loaded readLocked() {
    byte[] bytes;
    try {
      long size = Files.size(file);
      bytes = size > MAX_FILE_BYTES ? null : Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      clearFailure();
      return Loaded.NOTHING;
    } catch (IOException e) {
      throw fail("Cannot read the desired state file " + file, e);
    }
    StateFileFormat.Decoded decoded;
    try {
      if (bytes == null) {
        throw new StateFileFormat.CorruptStateException(
            "it is larger than " + MAX_FILE_BYTES + " bytes");
      }
      decoded = StateFileFormat.decode(bytes);
    } catch (StateFileFormat.CorruptStateException e) {
      preserveCorruptLocked(e.getMessage());
      clearFailure();
      return Loaded.NOTHING;
    }
    if (decoded.isNewer()) {
      StoreProblem newer =
          new StoreProblem(
              StoreProblem.Kind.NEWER_SCHEMA,
              "The desired state file "
                  + file
                  + " has schema version "
                  + decoded.schemaVersion()
                  + ", newer than the "
                  + SCHEMA_VERSION
                  + " this bgservice understands; it is read as far as possible and not"
                  + " overwritten.",
              file,
              Optional.empty(),
              clock.instant());
      if (failure == null || failure.kind() != StoreProblem.Kind.NEWER_SCHEMA) {
        log.warn(newer.message());
      }
      failure = newer;
    } else {
      clearFailure();
    }
    return new Loaded(decoded.state(), decoded.schemaVersion());
  }

  private void writeLocked(DesiredState state) {
    byte[] bytes = StateFileFormat.encode(state);
    Path temporary =
        directory.resolve(
            file.getFileName()
                + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try {
      Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try (FileChannel channel = FileChannel.open(temporary, options, privateFile())) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw fail("Cannot write the desired state file " + file, e);
    }
    clearFailure();
  }

  /** Moves the unreadable file aside, unchanged, under a name no other copy has. */
  private void preserveCorruptLocked(String reason) {
    String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
    Path aside = directory.resolve(base);
    for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
      aside = directory.resolve(base + "-" + i);
    }
    try {
      // Not ATOMIC_MOVE: that may replace an existing file; a plain move refuses to, and within
      // one directory it is still a single rename.
      Files.move(file, aside);
      forceDirectory();
    } catch (IOException e) {
      throw fail(
          "The desired state file " + file + " is corrupt (" + reason + ") and cannot be moved aside",
          e);
    }
    StoreProblem problem =
        new StoreProblem(
            StoreProblem.Kind.CORRUPT_FILE_PRESERVED,
            "The desired state file "
                + file
                + " was corrupt ("
                + reason
                + "); it was kept as "
                + aside
                + " and the service starts from the default state.",
            file,
            Optional.of(aside),
            clock.instant());
    log.warn(problem.message());
    corruption = problem;
  }

  /** Removes temporary files that a crashed writer left; only writers holding the lock make them. */
  private void deleteStaleTemporaryFilesLocked() {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (temporaryName.matcher(entry.getFileName().toString()).matches()) {
          log.debug("deleting {} left by an interrupted write", entry);
          deleteQuietly(entry);
        }
      }
    } catch (IOException e) {
      log.debug("cannot list {} for stale temporary files", directory, e);
    }
  }

  /** Makes a rename durable. Some platforms (Windows) cannot open a directory; that is fine. */
  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("cannot force directory {} on this platform", directory, e);
    }
  }

  private <T> T locked(Supplier<T> action) {
    if (jvmLock.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "the desired state store of '" + label + "' must not be called from its own update");
    }
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    boolean acquired;
    try {
      acquired = jvmLock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("Interrupted while waiting for the lock of " + file + ".", e);
    }
    if (!acquired) {
      throw lockTimedOut();
    }
    try (FileChannel channel =
            FileChannel.open(
                lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                privateFile());
        FileLock ignored = acquireFileLock(channel, deadline)) {
      return action.get();
    } catch (IOException e) {
      throw fail("Cannot lock the desired state file " + file, e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Polls for the process-wide lock: the blocking {@link FileChannel#lock()} cannot time out,
   * and a process stopped while holding the lock must not hang every caller forever.
   */
  private FileLock acquireFileLock(FileChannel channel, long deadline) throws IOException {
    long pauseMillis = 1;
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() - deadline > 0) {
        throw lockTimedOut();
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StateStoreException("Interrupted while waiting for the lock of " + file + ".", e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 20);
    }
  }

  private StateStoreException lockTimedOut() {
    return new StateStoreException(
        "The desired state file "
            + file
            + " stayed locked by another process or thread for more than "
            + lockTimeout.toMillis()
            + " ms.");
  }

  private StateStoreException fail(String what, IOException cause) {
    String message = what + ": " + describe(cause) + ".";
    failure =
        new StoreProblem(
            StoreProblem.Kind.IO_FAILURE, message, file, Optional.empty(), clock.instant());
    return new StateStoreException(message, cause);
  }

  private void clearFailure() {
    StoreProblem current = failure;
    if (current != null) {
      failure = null;
      log.info("the desired state file {} is usable again", file);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.debug("cannot delete {}", path, e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] privateFile() {
    return posix()
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  /** What a locked read found. */
  private record Loaded(Optional<DesiredState> state, int schemaVersion) {
    static final Loaded NOTHING = new Loaded(Optional.empty(), SCHEMA_VERSION);

    boolean newerSchema() {
      return schemaVersion > SCHEMA_VERSION;
    }
  }

  /** Configures a {@link DesiredStateStore}. */
  public static final class Builder {
    private final Path directory;
    private final String label;
    private Clock clock = Clock.systemUTC();
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

    private Builder(Path directory, String label) {
      this.directory = Objects.requireNonNull(directory, "directory");
      this.label = ServiceLabel.validate(label);
    }

    /** The clock for problem times and the names of preserved copies; default the system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long a call waits for the lock before failing; positive, default 10 s. */
    public Builder lockTimeout(Duration timeout) {
      Durations.requirePositive(timeout, "lockTimeout");
      this.lockTimeout = timeout;
      return this;
    }

    /**
     * Opens the store: creates the directory if it is missing (private to this user where the
     * platform has POSIX permissions), removes temporary files of interrupted writes, and reads
     * the file once, so a corrupt file is preserved and reported at once.
     *
     * @throws StateStoreException if the directory cannot be created, or the file cannot be read
     *     or locked
     */
    public DesiredStateStore open() {
      DesiredStateStore store = new DesiredStateStore(this);
      store.createDirectory();
      store.locked(
          () -> {
            store.deleteStaleTemporaryFilesLocked();
            return store.readLocked();
          });
      return store;
    }
  }

  private void createDirectory() {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      if (posix()) {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    } catch (IOException e) {
      throw fail("Cannot create the state directory " + directory, e);
    }
  }
}
