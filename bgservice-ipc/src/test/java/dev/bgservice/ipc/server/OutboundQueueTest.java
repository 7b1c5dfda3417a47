package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutboundQueueTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aBatchTakesQueuedFramesInOrderUpToTheByteLimitAndAtLeastOne() throws Exception {
    OutboundQueue queue = new OutboundQueue(100);
    for (int seq = 1; seq <= 10; seq++) {
      assertThat(queue.offerEvent(frame(100), seq)).isTrue();
    }
    queue.putResponse(frame(1000), OutboundQueue.NO_SEQ);
    queue.putEvent(frame(100), 11);

    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch, 450)).isTrue();
    assertThat(batch).extracting(OutboundQueue.Item::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(queue.queuedEvents()).isEqualTo(7);

    batch.clear();
    assertThat(queue.takeBatch(batch, 10_000)).isTrue();
    assertThat(batch)
        .extracting(OutboundQueue.Item::seq)
        .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, OutboundQueue.NO_SEQ, 11L);
    assertThat(batch.get(6).answersRequest()).isTrue();

    // A frame larger than the limit still goes, alone.
    queue.putEvent(frame(5000), 12);
    queue.putEvent(frame(10), 13);
    batch.clear();
    assertThat(queue.takeBatch(batch, 450)).isTrue();
    assertThat(batch).extracting(OutboundQueue.Item::seq).containsExactly(12L);
  }

  @Test
  void takenEventsMakeRoomForNewOnes() throws Exception {
    OutboundQueue queue = new OutboundQueue(3);
    for (int seq = 1; seq <= 3; seq++) {
      assertThat(queue.offerEvent(frame(10), seq)).isTrue();
    }
    assertThat(queue.offerEvent(frame(10), 4)).as("full").isFalse();

    assertThat(queue.takeBatch(new ArrayList<>(), 10_000)).isTrue();

    assertThat(queue.queuedEvents()).isZero();
    assertThat(queue.offerEvent(frame(10), 4)).isTrue();
  }

  @Test
  void theReaderMayWriteAnAnswerOnlyWhenNothingIsQueuedAndTheWriterIsIdle() throws Exception {
    OutboundQueue queue = new OutboundQueue(10);
    assertThat(queue.claimForAnswer()).as("idle and empty").isTrue();
    assertThat(queue.claimForAnswer()).as("already claimed").isFalse();
    queue.answerWritten();

    queue.offerEvent(frame(10), 1);
    assertThat(queue.claimForAnswer()).as("a frame is queued").isFalse();

    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch, 10_000)).isTrue();
    assertThat(queue.claimForAnswer()).as("the writer is writing its batch").isFalse();

    // The writer asks for more: it has written its batch and holds the channel no longer.
    Future<Boolean> next = pool.submit(() -> queue.takeBatch(new ArrayList<>(), 10_000));
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.claimForAnswer());
    queue.answerWritten();

    queue.finish(Optional.empty());
    assertThat(next.get()).as("finishing and drained").isFalse();
    assertThat(queue.claimForAnswer()).as("finishing").isFalse();
  }

  @Test
  void theWriterWaitsForTheReadersAnswerBeforeTakingWhatWasQueuedMeanwhile() throws Exception {
    OutboundQueue queue = new OutboundQueue(10);
    assertThat(queue.awaitRequestSlot()).isTrue();
    assertThat(queue.claimForAnswer()).isTrue();
    AtomicReference<Thread> writerThread = new AtomicReference<>();
    Future<List<OutboundQueue.Item>> writer =
        pool.submit(
            () -> {
              writerThread.set(Thread.currentThread());
              List<OutboundQueue.Item> batch = new ArrayList<>();
              assertThat(queue.takeBatch(batch, 10_000)).isTrue();
              return batch;
            });

    // Queued while the reader writes its answer: the event must wait for the answer.
    queue.offerEvent(frame(10), 1);
    queue.finish(Optional.empty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                writerThread.get() != null
                    && writerThread.get().getState() == Thread.State.WAITING);
    assertThat(writer.isDone()).as("the writer waits while the reader holds the channel").isFalse();

    queue.answerWritten();

    assertThat(writer.get()).extracting(OutboundQueue.Item::seq).containsExactly(1L);
    assertThat(queue.takeBatch(new ArrayList<>(), 10_000)).as("finished and drained").isFalse();
  }

  @Test
  void anAnswerWrittenByTheReaderGivesBackItsRequestSlot() throws Exception {
    OutboundQueue queue = new OutboundQueue(1);
    for (int request = 0; request < 3; request++) {
      assertThat(queue.awaitRequestSlot()).isTrue();
      assertThat(queue.claimForAnswer()).isTrue();
      queue.answerWritten();
    }
    // With a limit of 1, the fourth slot is there only if every written answer gave its slot back.
    CompletableFuture<Boolean> slot =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.awaitRequestSlot();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            pool);
    assertThat(slot.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void overflowReplacesWhatIsQueuedByTheMarkerAfterTheBatchInHand() throws Exception {
    OutboundQueue queue = new OutboundQueue(2);
    queue.offerEvent(frame(10), 1);
    List<OutboundQueue.Item> inHand = new ArrayList<>();
    assertThat(queue.takeBatch(inHand, 10_000)).isTrue();
    queue.offerEvent(frame(10), 2);
    queue.offerEvent(frame(10), 3);
    assertThat(queue.offerEvent(frame(10), 4)).isFalse();

    queue.overflow();

    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch, 10_000)).isTrue();
    assertThat(batch).containsExactly(OutboundQueue.Item.OVERFLOW);
    assertThat(queue.takeBatch(new ArrayList<>(), 10_000)).isFalse();
  }

  @Test
  void closeWakesAWaitingWriterAndReader() throws Exception {
    OutboundQueue queue = new OutboundQueue(1);
    assertThat(queue.awaitRequestSlot()).isTrue();
    Future<Boolean> writer = pool.submit(() -> queue.takeBatch(new ArrayList<>(), 10_000));
    Future<Boolean> reader = pool.submit(queue::awaitRequestSlot);

    queue.close();

    assertThat(writer.get()).isFalse();
    assertThat(reader.get()).isFalse();
    assertThat(queue.claimForAnswer()).isFalse();
  }

  private static ByteBuffer frame(int size) {
    return ByteBuffer.allocate(size).asReadOnlyBuffer();
  }
}
