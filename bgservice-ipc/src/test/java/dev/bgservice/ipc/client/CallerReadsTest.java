package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.error.ServiceUnavailableException;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.FrameReader;
import dev.bgservice.ipc.codec.MessageCodec;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller blocked on its call reads its answer off the socket itself ({@link Connection#lead}):
 * it handles what arrived before the answer too, in order and on its own thread; it hands reading
 * back to the reader thread when its spin is over; an interrupted caller never touches the socket;
 * and the end of the stream met by a caller closes the connection like any other.
 */
class CallerReadsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(20);

  @TempDir Path dir;

  private Pair pair;

  @BeforeEach
  void connect() throws IOException {
    pair = new Pair(dir);
  }

  @AfterEach
  void close() throws IOException {
    pair.socket.close();
  }

  /** A {@link ConnectionPair} that records the threads handling events. */
  private static final class Pair {
    final ConnectionPair socket;
    final Connection connection;
    final SocketChannel peer;
    /** The names of the threads that handled each event. */
    final List<String> eventThreads = new CopyOnWriteArrayList<>();

    Pair(Path dir) throws IOException {
      socket =
          ConnectionPair.open(
              dir,
              "caller-reads-test",
              new Connection.Listener() {
                @Override
                public void onEvent(Connection c, Event event) {
                  eventThreads.add(Thread.currentThread().getName());
                }

                @Override
                public void onClosed(Connection c, String reason) {}
              });
      connection = socket.connection;
      peer = socket.peer;
    }

    /** Sends a call, which the test thread writes itself. */
    PendingCall call() {
      PendingCall call = new PendingCall(new Request.IsRunning());
      assertThat(connection.send(call)).isTrue();
      return call;
    }

    /**
     * On a new thread: reads one request, waits for {@code go}, then sends an event and the answer
     * in one write, or ends the stream if {@code answer} is false.
     */
    void answerOnce(CountDownLatch go, boolean answer) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  new FrameReader(peer).readFrame();
                  go.await();
                  if (!answer) {
                    peer.close();
                    return;
                  }
                  ByteBuffer event = MessageCodec.encodeFrame(new Event.Started());
                  ByteBuffer response =
                      MessageCodec.encodeFrame(
                          Response.success(
                              JsonNodeFactory.instance.objectNode().put("running", true)));
                  ByteBuffer both =
                      ByteBuffer.allocate(event.remaining() + response.remaining())
                          .put(event)
                          .put(response)
                          .flip();
                  while (both.hasRemaining()) {
                    peer.write(both);
                  }
                } catch (IOException | InterruptedException e) {
                  // the test closed the connection
                }
              },
              "test-peer");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * Leads until the call is answered, opening {@code leading} once this thread holds the read role:
   * the peer answers only then, so it is this thread that reads the answer.
   */
  private void leadSignalling(PendingCall call, CountDownLatch leading) {
    pair.connection.lead(
        () -> {
          if (pair.connection.holdsReadRole()) {
            leading.countDown();
          }
          return call.response().isDone();
        },
        LONG_SPIN);
  }

  @Test
  void aLeadingCallerReadsItsAnswerAndWhatCameBeforeItOnItsOwnThread() throws Exception {
    CountDownLatch leading = new CountDownLatch(1);
    pair.answerOnce(leading, true);
    PendingCall call = pair.call();

    leadSignalling(call, leading);

    assertThat(call.response()).isCompleted();
    assertThat(call.response().get().data().orElseThrow().get("running").booleanValue()).isTrue();
    assertThat(pair.eventThreads).containsExactly(Thread.currentThread().getName());
    assertThat(pair.connection.holdsReadRole()).isFalse();
  }

  @Test
  void afterItsSpinACallerLeavesTheAnswerToTheReaderThread() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    pair.answerOnce(answer, true);
    PendingCall call = pair.call();

    pair.connection.lead(() -> call.response().isDone(), TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(call.response()).isNotDone();
    answer.countDown();

    Response response = call.response().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(response.ok()).isTrue();
    assertThat(pair.eventThreads).singleElement().satisfies(t -> assertThat(t).endsWith("-reader"));
  }

  @Test
  void anInterruptedCallerDoesNotTouchTheSocketAndTheConnectionLives() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    pair.answerOnce(answer, true);
    PendingCall call = pair.call();
    AtomicInteger asked = new AtomicInteger();

    Thread.currentThread().interrupt();
    try {
      pair.connection.lead(
          () -> {
            asked.incrementAndGet();
            return call.response().isDone();
          },
          LONG_SPIN);
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
    assertThat(asked).hasValue(0);
    answer.countDown();

    assertThat(call.response().get(WAIT.toSeconds(), TimeUnit.SECONDS).ok()).isTrue();
    assertThat(pair.connection.isClosed()).isFalse();
  }

  @Test
  void theStreamEndingWhileACallerLeadsFailsTheCallAndClosesTheConnection() throws IOException {
    CountDownLatch leading = new CountDownLatch(1);
    pair.answerOnce(leading, false);
    PendingCall call = pair.call();

    leadSignalling(call, leading);

    Throwable failure =
        catchThrowable(() -> call.response().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertThat(failure)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("the sidecar closed the connection");
    assertThat(pair.connection.isClosed()).isTrue();
  }
}
