package dev.bgservice.ipc.server;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.endpoint.CurrentUser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound server socket and its file. Binding takes over a leftover socket file only when nothing
 * answers a connect on it; it refuses a symbolic link, anything that is not a socket, and a socket
 * of another user. Call it only while holding the {@link InstanceLock}: then no other bgservice
 * server can be binding the same path.
 */
final class ListeningSocket implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ListeningSocket.class);

  private final Path path;
  private final ServerSocketChannel channel;
  private final Object identity;
  private final UserPrincipal owner;

  private ListeningSocket(
      Path path, ServerSocketChannel channel, Object identity, UserPrincipal owner) {
    this.path = path;
    this.channel = channel;
    this.identity = identity;
    this.owner = owner;
  }

  /**
   * Binds {@code path}, first removing a stale socket file.
   *
   * @throws BgServiceException with code {@code already_running} when something answers on the
   *     path, {@code invalid_argument} for a symbolic link, a file that is not a socket or a socket
   *     of another user, {@code ipc_unavailable} when binding fails
   */
  static ListeningSocket bind(Path path, int backlog) {
    removeIfStale(path);
    ServerSocketChannel channel;
    try {
      channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      throw unavailable(path, "cannot open a Unix domain socket", e);
    }
    boolean keep = false;
    try {
      channel.bind(UnixDomainSocketAddress.of(path), backlog);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // Only the owner may connect; the directory and the peer check guard this too.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      }
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
      keep = true;
      return new ListeningSocket(path, channel, attributes.fileKey(), owner);
    } catch (IOException e) {
      throw unavailable(path, "binding failed", e);
    } finally {
      if (!keep) {
        try {
          channel.close();
        } catch (IOException e) {
          // nothing left to do
        }
      }
    }
  }

  private static void removeIfStale(Path path) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw unavailable(path, "cannot inspect it", e);
    }
    if (attributes.isSymbolicLink()) {
      throw refused(path, "it is a symbolic link; remove it");
    }
    if (!attributes.isOther()) {
      throw refused(path, "it exists and is not a socket; remove it or choose another path");
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
      try {
        long owner =
            ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        if (owner != CurrentUser.uid()) {
          throw refused(path, "it is a socket of uid " + owner + ", not of this user");
        }
      } catch (IOException e) {
        throw unavailable(path, "cannot read its owner", e);
      }
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new BgServiceException(
          ErrorCode.ALREADY_RUNNING,
          "A process is already serving "
              + path
              + " (it accepted a connection); stop it first or use another socket path.");
    } catch (ConnectException e) {
      // Nothing listens: a socket file left behind by a process that died.
    } catch (IOException e) {
      throw unavailable(path, "cannot tell whether a process is serving it", e);
    }
    try {
      Files.deleteIfExists(path);
      log.info("removed the stale socket file {}", path);
    } catch (IOException e) {
      throw unavailable(path, "cannot remove the stale socket file", e);
    }
  }

  /** The channel to accept connections on. */
  ServerSocketChannel channel() {
    return channel;
  }

  /** The user the server runs as: the owner of the socket file it created. */
  UserPrincipal owner() {
    return owner;
  }

  /** Stops accepting connections; the socket file stays until {@link #close()}. */
  void stopAccepting() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the server socket {}", path, e);
    }
  }

  /**
   * Stops listening and removes the socket file if the path still names the socket bound here.
   * Idempotent.
   */
  @Override
  public void close() {
    stopAccepting();
    try {
      Optional<Object> now =
          Optional.ofNullable(
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                  .fileKey());
      if (identity == null || now.equals(Optional.of(identity))) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      log.warn("could not remove the socket file {}: {}", path, e.getMessage());
    }
  }

  private static BgServiceException refused(Path path, String problem) {
    return new BgServiceException(
        ErrorCode.INVALID_ARGUMENT, "Refusing the socket path " + path + ": " + problem + ".");
  }

  private static BgServiceException unavailable(Path path, String problem, IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new BgServiceException(
        ErrorCode.IPC_UNAVAILABLE,
        "Cannot listen on " + path + ": " + problem + " (" + detail + ").",
        e);
  }
}
