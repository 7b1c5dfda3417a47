package dev.bgservice.benchmarks;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The raw baseline of the round trip: a bare Unix-domain-socket peer in this JVM, blocking
 * channels and no JSON, that answers every frame it reads with one fixed frame, on one thread.
 * Whatever the product's client and server add to a call is measured against this.
 */
final class EchoPeer implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path socket;
  private final ServerSocketChannel server;
  private final SocketChannel client;
  private final Thread peer;
  private final ByteBuffer request;
  private final ByteBuffer answerIn = ByteBuffer.allocateDirect(BUFFER_BYTES);

  private EchoPeer(Path socket, ByteBuffer request, ByteBuffer answer) throws IOException {
    this.socket = socket;
    this.request = request;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    this.client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    SocketChannel accepted = server.accept();
    this.peer = new Thread(() -> answer(accepted, answer), "bench-echo-peer");
    peer.setDaemon(true);
    peer.start();
  }

  /**
   * Listens on {@code socket}, connects to it, and answers each {@code request} frame (length
   * prefix included) with {@code answer}.
   */
  static EchoPeer start(Path socket, ByteBuffer request, ByteBuffer answer) throws IOException {
    return new EchoPeer(socket, request, answer);
  }

  /** One round trip: sends the request frame, waits for the whole answer; the answer's length. */
  int roundTrip() throws IOException {
    RawFrames.write(client, request);
    int length = RawFrames.read(client, answerIn);
    if (length < 0) {
      throw new IOException("the echo peer closed the connection");
    }
    return length;
  }

  private static void answer(SocketChannel channel, ByteBuffer answer) {
    ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);
    ByteBuffer out = ByteBuffer.allocateDirect(answer.remaining());
    out.put(answer.duplicate()).flip();
    try (channel) {
      while (RawFrames.read(channel, in) >= 0) {
        RawFrames.write(channel, out);
      }
    } catch (IOException e) {
      // the benchmark closed its end; nothing to answer any more
    }
  }

  /** Closes both ends, waits for the peer thread and removes the socket file. */
  @Override
  public void close() throws IOException {
    client.close();
    try {
      peer.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      Files.deleteIfExists(socket);
    }
  }
}
