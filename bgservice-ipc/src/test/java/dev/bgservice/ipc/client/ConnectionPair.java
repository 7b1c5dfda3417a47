package dev.bgservice.ipc.client;

import dev.bgservice.ipc.codec.Event;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A started base-protocol {@link Connection} over a real Unix socket, and the test's end of that
 * socket, which plays the sidecar. Strict order: no ids, so a misordered frame gets another's
 * answer.
 */
final class ConnectionPair implements AutoCloseable {
  final Connection connection;
  final SocketChannel peer;

  private ConnectionPair(Connection connection, SocketChannel peer) {
    this.connection = connection;
    this.peer = peer;
  }

  /** Connects through a socket file in {@code dir}; the connection's threads get the prefix. */
  static ConnectionPair open(Path dir, String threadPrefix, Connection.Listener listener)
      throws IOException {
    Path socket = dir.resolve("pair.sock");
    SocketChannel client;
    SocketChannel peer;
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      peer = server.accept();
    }
    Connection connection = new Connection(client, socket, threadPrefix, listener, thread -> false);
    connection.version = 1;
    connection.start();
    return new ConnectionPair(connection, peer);
  }

  /** A listener that ignores events and the close. */
  static Connection.Listener ignoring() {
    return new Connection.Listener() {
      @Override
      public void onEvent(Connection c, Event event) {}

      @Override
      public void onClosed(Connection c, String reason) {}
    };
  }

  /** Closes the client's connection, then the sidecar's end. */
  @Override
  public void close() throws IOException {
    connection.close("the test ended");
    peer.close();
  }
}
