package dev.bgservice.ipc.server;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.endpoint.CurrentUser;
import dev.bgservice.ipc.endpoint.EndpointException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks, or creates, the directory that holds the socket and its lock file.
 *
 * <p>Nobody but the server's user may be able to create, replace or remove entries in it, or the
 * socket could be swapped for another one. The rules:
 *
 * <ul>
 *   <li>A missing directory is created with mode 0700 (missing parents too).
 *   <li>An existing one must be a real directory (not a symbolic link) owned by the server's user.
 *   <li>Its mode must be 0700 (no group or other permission at all), except when the user chose the
 *       socket path explicitly: then group and others may read and traverse it (so it may be the
 *       user's home, say), but never write to it. Connections are then still limited to the
 *       server's user by the socket's mode (0600) and the peer check.
 * </ul>
 *
 * <p>On a file system without POSIX permissions (Windows) the directory is only created if missing;
 * there the user's profile ACL protects it.
 */
final class SocketDirectory {

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private SocketDirectory() {}

  /**
   * Makes sure {@code dir} exists and is safe for a socket.
   *
   * @param explicitPath whether the user chose the socket path, which relaxes the mode rule
   * @return whether the directory is private to the server's user (mode 0700)
   * @throws EndpointException with code {@code unsafe_directory} if it is not safe
   * @throws BgServiceException with code {@code ipc_unavailable} if it cannot be created or read
   */
  static boolean prepare(Path dir, boolean explicitPath) {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (!posix) {
        return true;
      }
      return check(dir, explicitPath);
    } catch (NoSuchFileException e) {
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot use the socket directory " + dir + ": it vanished while being checked.",
          e);
    } catch (IOException e) {
      throw new BgServiceException(
          ErrorCode.IPC_UNAVAILABLE,
          "Cannot create or read the socket directory " + dir + ": " + e.getMessage() + ".",
          e);
    }
  }

  private static boolean check(Path dir, boolean explicitPath) throws IOException {
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      throw unsafe(dir, "it is a symbolic link; give the real directory");
    }
    if (!attributes.isDirectory()) {
      throw unsafe(dir, "it is not a directory");
    }
    long owner =
        ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    long self = CurrentUser.uid();
    if (owner != self) {
      throw unsafe(dir, "it belongs to uid " + owner + ", not to this user (uid " + self + ")");
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    Set<PosixFilePermission> forbidden = explicitPath ? GROUP_OR_OTHERS_WRITE : GROUP_OR_OTHERS;
    if (permissions.stream().anyMatch(forbidden::contains)) {
      throw unsafe(
          dir,
          "its permissions are "
              + PosixFilePermissions.toString(permissions)
              + (explicitPath ? ", which let group or others write to it" : ", not rwx------"));
    }
    return permissions.stream().noneMatch(GROUP_OR_OTHERS::contains);
  }

  private static EndpointException unsafe(Path dir, String problem) {
    return new EndpointException(
        EndpointException.UNSAFE_DIRECTORY,
        "Refusing the socket directory " + dir + ": " + problem + ".");
  }
}
