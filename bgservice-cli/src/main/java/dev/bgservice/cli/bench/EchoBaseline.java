package dev.bgservice.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw baseline of {@code bgs bench}: the cheapest thing the same bytes can do on this machine.
 * A bare Unix-domain-socket peer in this JVM, with blocking channels and no JSON, that reads one
 * length-prefixed frame and writes another of a given size back (round trip), or that only reads
 * (stream). Whatever bgservice adds on top of this is the figure of interest.
 */
final class EchoBaseline implements AutoCloseable {
  private final Path socket;
  private final ServerSocketChannel server;

  private EchoBaseline(Path socket, ServerSocketChannel server) {
    this.socket = socket;
    this.server = server;
  }

  /** Listens on {@code socket} (which must not exist). */
  static EchoBaseline listen(Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return new EchoBaseline(socket, server);
  }

  /**
   * Connects a peer that answers every {@code request} frame with a copy of {@code response}; the
   * caller times one round trip at a time, so that it can interleave them with the product's.
   */
  RoundTrips roundTrips(ByteBuffer request, ByteBuffer response) throws IOException {
    Thread peer = peer("bgs-bench-echo", channel -> {
      ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
      ByteBuffer out = ByteBuffer.allocateDirect(response.remaining());
      while (readFrame(channel, in)) {
        out.clear();
        out.put(response.duplicate()).flip();
        writeFully(channel, out);
      }
    });
    return new RoundTrips(connect(), peer, request);
  }

  /** The client end of {@link #roundTrips}: one blocking channel, used by one thread. */
  static final class RoundTrips implements AutoCloseable {
    private final SocketChannel channel;
    private final Thread peer;
    private final ByteBuffer request;
    private final ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

    private RoundTrips(SocketChannel channel, Thread peer, ByteBuffer request) {
      this.channel = channel;
      this.peer = peer;
      this.request = request;
      this.out = ByteBuffer.allocateDirect(request.remaining());
    }

    /** Sends the request, waits for the whole answer, and returns how long that took (ns). */
    long time() throws IOException {
      long begin = System.nanoTime();
      out.clear();
      out.put(request.duplicate()).flip();
      writeFully(channel, out);
      if (!readFrame(channel, in)) {
        throw new IOException("the echo peer closed the connection");
      }
      return System.nanoTime() - begin;
    }

    /** Closes the connection and waits for the peer to end. */
    @Override
    public void close() throws IOException, InterruptedException {
      channel.close();
      peer.join();
    }
  }

  /**
   * Streams {@code count} copies of {@code frame} one way, as fast as they go, to each of {@code
   * readers} connections (one writer sending every frame to every reader in turn, as a server
   * fanning events out would), and returns the frames per second of the slowest reader, from the
   * first byte sent to its last frame read.
   */
  double streamRate(ByteBuffer frame, int count, int readers)
      throws IOException, InterruptedException {
    long[] received = new long[readers];
    long[] finishedAt = new long[readers];
    Thread[] sinks = new Thread[readers];
    for (int r = 0; r < readers; r++) {
      int reader = r;
      sinks[r] = peer("bgs-bench-sink-" + r, channel -> {
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        while (readFrame(channel, in)) {
          if (++received[reader] == count) {
            finishedAt[reader] = System.nanoTime();
          }
        }
      });
    }
    SocketChannel[] channels = new SocketChannel[readers];
    long begin;
    try {
      for (int r = 0; r < readers; r++) {
        channels[r] = connect();
      }
      ByteBuffer out = ByteBuffer.allocateDirect(frame.remaining());
      begin = System.nanoTime();
      for (int i = 0; i < count; i++) {
        for (SocketChannel channel : channels) {
          out.clear();
          out.put(frame.duplicate()).flip();
          writeFully(channel, out);
        }
      }
    } finally {
      for (SocketChannel channel : channels) {
        if (channel != null) {
          channel.close();
        }
      }
    }
    long last = begin;
    for (int r = 0; r < readers; r++) {
      sinks[r].join();
      if (received[r] != count) {
        throw new IOException("the stream baseline lost frames: " + received[r] + " of " + count);
      }
      last = Math.max(last, finishedAt[r]);
    }
    return count / ((last - begin) / 1e9);
  }

  private SocketChannel connect() throws IOException {
    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  private interface PeerBody {
    void serve(SocketChannel channel) throws IOException;
  }

  /** Accepts one connection and serves it on a new thread until the other side closes. */
  private Thread peer(String name, PeerBody body) {
    Thread thread = new Thread(() -> {
      try (SocketChannel channel = server.accept()) {
        body.serve(channel);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Reads one whole frame (4-byte big-endian length, then the payload) into {@code buffer}.
   *
   * @return false at a clean end of input before the frame
   */
  private static boolean readFrame(SocketChannel channel, ByteBuffer buffer) throws IOException {
    buffer.clear().limit(4);
    if (!readFully(channel, buffer, true)) {
      return false;
    }
    int length = buffer.getInt(0);
    buffer.clear().limit(length);
    return readFully(channel, buffer, false);
  }

  private static boolean readFully(SocketChannel channel, ByteBuffer buffer, boolean endAllowed)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (endAllowed && buffer.position() == 0) {
          return false;
        }
        throw new IOException("the connection ended inside a frame");
      }
    }
    return true;
  }

  private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }
}
