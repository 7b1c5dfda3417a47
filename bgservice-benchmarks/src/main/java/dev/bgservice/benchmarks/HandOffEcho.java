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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The raw echo of {@link EchoPeer} moved through the thread hand-offs the product's design has,
 * with nothing else (no JSON, no timers, no dispatch): the caller queues its frame for a writer
 * thread and waits on a future; the peer's reader thread queues the answer for the peer's writer
 * thread; the client's reader thread completes the caller's future. Three more thread wake-ups per
 * call than the bare echo, which is what this baseline prices.
 */
final class HandOffEcho implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final ByteBuffer END = ByteBuffer.allocate(0);

  private final Path socket;
  private final ServerSocketChannel server;
  private final SocketChannel client;
  private final SocketChannel accepted;
  private final ByteBuffer request;
  private final BlockingQueue<ByteBuffer> clientOut = new LinkedBlockingQueue<>();
  private final BlockingQueue<ByteBuffer> peerOut = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<CompletableFuture<Integer>> waiting =
      new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  private HandOffEcho(Path socket, ByteBuffer request, ByteBuffer answer) throws IOException {
    this.socket = socket;
    this.request = request;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    this.client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    this.accepted = server.accept();
    start("bench-handoff-client-writer", () -> writeAll(client, clientOut));
    start("bench-handoff-client-reader", this::completeCallers);
    start("bench-handoff-peer-writer", () -> writeAll(accepted, peerOut));
    start("bench-handoff-peer-reader", () -> answerAll(answer));
  }

  /**
   * Listens on {@code socket}, connects to it, and answers each {@code request} frame (length
   * prefix included) with {@code answer}, through writer and reader threads on both sides.
   */
  static HandOffEcho start(Path socket, ByteBuffer request, ByteBuffer answer)
      throws IOException {
    return new HandOffEcho(socket, request, answer);
  }

  private void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    threads.add(thread);
  }

  /** One round trip: queues the request, waits for the reader to hand over the answer. */
  int roundTrip() throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    waiting.add(answer);
    clientOut.add(request);
    return answer.get(10, TimeUnit.SECONDS);
  }

  private void completeCallers() {
    ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);
    try {
      int length;
      while ((length = RawFrames.read(client, in)) >= 0) {
        waiting.remove().complete(length);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void answerAll(ByteBuffer answer) {
    ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);
    try {
      while (RawFrames.read(accepted, in) >= 0) {
        peerOut.add(answer);
      }
    } catch (IOException e) {
      // closed
    }
    peerOut.add(END);
  }

  private static void writeAll(SocketChannel channel, BlockingQueue<ByteBuffer> frames) {
    try {
      ByteBuffer frame;
      while ((frame = frames.take()) != END) {
        RawFrames.write(channel, frame);
      }
    } catch (IOException | InterruptedException e) {
      // closed
    }
  }

  /** Closes both ends, waits for the four threads and removes the socket file. */
  @Override
  public void close() throws IOException {
    clientOut.add(END);
    client.close();
    accepted.close();
    try {
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(10).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      Files.deleteIfExists(socket);
    }
  }
}
