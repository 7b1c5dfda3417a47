package dev.bgservice.ipc.server;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The exclusive lock on {@code <socket>.lock} that makes one sidecar the only one serving a socket,
 * held for the server's life.
 *
 * <p>Three details make it safe against every interleaving:
 *
 * <ul>
 *   <li>The operating system's lock belongs to the process, and on POSIX systems closing
 *       <em>any</em> descriptor of this process on the file releases it. So servers of one JVM
 *       check a registry of the lock files this JVM holds before they open the file at all, and a
 *       holder never opens its lock file a second time.
 *   <li>A closing server deletes the file while it still holds the lock. A rival that opened the
 *       file just before then gets the lock on a file that no longer has a name; so each server
 *       compares the file's identity (device and inode) at the path before opening and after
 *       locking, and if they differ it lost the race and tries again with the new file. (While the
 *       rival keeps the old file open, its inode cannot be reused.)
 *   <li>The file is opened without following symbolic links, and created with mode 0600.
 * </ul>
 *
 * <p>After locking, the holder writes {@code <pid> <instance>} into the file, so a refused rival
 * can say which process holds it.
 */
final class InstanceLock implements AutoCloseable {

  /** Lock files held by servers of this JVM, as absolute normalized paths. */
  private static final Set<Path> HELD_IN_THIS_JVM = new HashSet<>();

  private static final int ATTEMPTS = 10;

  /** The file key of every file where the file system has none. */
  private static final Object NO_FILE_KEYS = new Object();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final Object identity;

  private InstanceLock(Path path, FileChannel channel, FileLock lock, Object identity) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.identity = identity;
  }

  /**
   * Takes the lock at {@code path} for the server of {@code socketPath}.
   *
   * @param token what to write into the lock file, e.g. {@code <pid> <instance>}
   * @throws BgServiceException with code {@code already_running} when another server holds it,
   *     {@code invalid_argument} when the path is a symbolic link or not a regular file, {@code
   *     ipc_unavailable} when the file cannot be used
   */
  static InstanceLock acquire(Path path, Path socketPath, String token) {
    Path key = path.toAbsolutePath().normalize();
    synchronized (HELD_IN_THIS_JVM) {
      if (HELD_IN_THIS_JVM.contains(key)) {
        throw alreadyServing(socketPath, "another server in this process");
      }
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Optional<InstanceLock> taken = tryOnce(key, socketPath, token);
        if (taken.isPresent()) {
          HELD_IN_THIS_JVM.add(key);
          return taken.get();
        }
      }
    }
    throw new BgServiceException(
        ErrorCode.IPC_UNAVAILABLE,
        "Could not take the lock file "
            + path
            + ": it was replaced "
            + ATTEMPTS
            + " times in a row.");
  }

  /** One attempt: the lock, or empty when the file changed under us. */
  private static Optional<InstanceLock> tryOnce(Path path, Path socketPath, String token) {
    refuseNonRegular(path);
    Optional<Object> before = fileKey(path);
    if (before.isEmpty()) {
      create(path);
      return Optional.empty();
    }
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      refuseNonRegular(path); // a symbolic link that appeared since: say so clearly
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot open the lock file " + path + ": " + describe(e) + ".",
          e);
    }
    boolean keep = false;
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by code of this JVM that does not use this class
      }
      if (lock == null) {
        throw alreadyServing(socketPath, holder(channel));
      }
      Optional<Object> after = fileKey(path);
      if (!after.equals(before)) {
        lock.release();
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)), 0);
      keep = true;
      return Optional.of(new InstanceLock(path, channel, lock, after.get()));
    } catch (IOException e) {
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot lock the lock file " + path + ": " + describe(e) + ".",
          e);
    } finally {
      if (!keep) {
        closeQuietly(channel);
      }
    }
  }

  /** Creates the lock file, mode 0600, unless it exists; nothing of ours can hold it yet. */
  private static void create(Path path) {
    try {
      Files.createFile(path, ownerOnly());
    } catch (FileAlreadyExistsException e) {
      // Made by a rival meanwhile (or a symbolic link, which the next attempt refuses).
    } catch (IOException e) {
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot create the lock file " + path + ": " + describe(e) + ".",
          e);
    }
  }

  /**
   * The identity of the file at {@code path} (not following links); empty if there is none. A file
   * system without file keys gets a constant, which turns the race check off there.
   */
  private static Optional<Object> fileKey(Path path) {
    try {
      Object key =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return Optional.of(key == null ? NO_FILE_KEYS : key);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot inspect the lock file " + path + ": " + describe(e) + ".",
          e);
    }
  }

  /** The lock file's path. */
  Path path() {
    return path;
  }

  /**
   * Deletes the lock file if the path still names the locked file, then releases the lock. Deleting
   * first means our file never exists at the path unlocked. Idempotent.
   */
  @Override
  public void close() {
    synchronized (HELD_IN_THIS_JVM) {
      if (!channel.isOpen()) {
        return;
      }
      try {
        if (fileKey(path).equals(Optional.of(identity))) {
          Files.deleteIfExists(path);
        }
      } catch (IOException | BgServiceException e) {
        // Leaving the file behind is harmless: the next server locks and reuses it.
      }
      try {
        lock.release();
      } catch (IOException e) {
        // Closing the channel below releases it anyway.
      }
      closeQuietly(channel);
      HELD_IN_THIS_JVM.remove(path);
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    long position = 0;
    int n;
    while (buffer.hasRemaining() && (n = channel.read(buffer, position)) > 0) {
      position += n;
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  /** Who holds the lock, as its token says; best effort. */
  private static String holder(FileChannel channel) {
    try {
      String content = read(channel).strip();
      int space = content.indexOf(' ');
      if (space > 0 && content.substring(0, space).chars().allMatch(Character::isDigit)) {
        return "process " + content.substring(0, space);
      }
    } catch (IOException e) {
      // fall through
    }
    return "another process";
  }

  private static void refuseNonRegular(Path path) {
    if (Files.isSymbolicLink(path)) {
      throw new BgServiceException(
          ErrorCode.INVALID_ARGUMENT,
          "Refusing the lock file " + path + ": it is a symbolic link; remove it.");
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new BgServiceException(
          ErrorCode.INVALID_ARGUMENT,
          "Refusing the lock file " + path + ": it is not a regular file; remove it.");
    }
  }

  static BgServiceException alreadyServing(Path socketPath, String holder) {
    return new BgServiceException(
        ErrorCode.ALREADY_RUNNING,
        "A bgservice sidecar is already serving "
            + socketPath
            + " ("
            + holder
            + " holds its lock); stop it first or use another socket path.");
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
