package dev.bgservice.ipc.endpoint;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one sidecar listens: the path of its Unix domain socket, and the lock file beside it that
 * keeps a second sidecar from taking over the same socket. Obtain one from {@link
 * EndpointResolver}, which checks the path fits the platform's limit.
 *
 * @param socketPath the absolute path of the socket file
 */
public record SocketEndpoint(Path socketPath) {

  /** Checks the path is absolute and names a file. */
  public SocketEndpoint {
    Objects.requireNonNull(socketPath, "socketPath");
    if (!socketPath.isAbsolute() || socketPath.getFileName() == null) {
      throw new IllegalArgumentException(
          "socket path must be an absolute file path: " + socketPath);
    }
  }

  /** The lock file beside the socket: {@code <socket>.lock}. */
  public Path lockPath() {
    return socketPath.resolveSibling(socketPath.getFileName() + ".lock");
  }

  /** The directory holding the socket and the lock file. */
  public Path directory() {
    return socketPath.getParent();
  }

  /** The address to bind or connect to. */
  public UnixDomainSocketAddress address() {
    return UnixDomainSocketAddress.of(socketPath);
  }
}
