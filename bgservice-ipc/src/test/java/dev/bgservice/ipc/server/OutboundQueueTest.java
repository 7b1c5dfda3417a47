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
    OutboundQueue queue = new OutboundQueue(100, Long.MAX_VALUE, 450, Duration.ZERO);
    for (int seq = 1; seq <= 10; seq++) {
      assertThat(queue.offerEvent(frame(100), seq)).isTrue();
    }
    queue.putResponse(frame(1000), OutboundQueue.NO_SEQ);
    queue.putEvent(frame(100), 11);

    assertThat(nextBatch(queue)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(queue.queuedEvents()).isEqualTo(7);
    assertThat(nextBatch(queue)).containsExactly(5L, 6L, 7L, 8L);
    assertThat(nextBatch(queue)).containsExactly(9L, 10L);
    // A frame larger than the limit still goes, alone.
    assertThat(nextBatch(queue)).containsExactly(OutboundQueue.NO_SEQ);
    assertThat(nextBatch(queue)).containsExactly(11L);
    assertThat(queue.queuedEvents()).isZero();
  }

  /** The seqs of the next batch. */
  private static List<Long> nextBatch(OutboundQueue queue) throws InterruptedException {
    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch)).isTrue();
    return batch.stream().map(OutboundQueue.Item::seq).toList();
  }

  @Test
  void takenEventsMakeRoomForNewOnes() throws Exception {
    OutboundQueue queue = new OutboundQueue(3, Long.MAX_VALUE, 10_000, Duration.ZERO);
    for (int seq = 1; seq <= 3; seq++) {
      assertThat(queue.offerEvent(frame(10), seq)).isTrue();
    }
    assertThat(queue.offerEvent(frame(10), 4)).as("full").isFalse();

    assertThat(queue.takeBatch(new ArrayList<>())).isTrue();

    assertThat(queue.queuedEvents()).isZero();
    assertThat(queue.offerEvent(frame(10), 4)).isTrue();
  }

  @Test
  void anEventBeyondTheByteLimitIsRefusedUnlessTheQueueIsEmpty() throws Exception {
    OutboundQueue queue = new OutboundQueue(100, 1000, 10_000, Duration.ZERO);
    assertThat(queue.offerEvent(frame(5000), 1)).as("alone, however large").isTrue();
    assertThat(queue.offerEvent(frame(10), 2)).as("beyond the byte limit").isFalse();

    assertThat(nextBatch(queue)).containsExactly(1L);
    assertThat(queue.offerEvent(frame(600), 2)).isTrue();
    assertThat(queue.offerEvent(frame(400), 3)).as("exactly at the limit").isTrue();
    assertThat(queue.offerEvent(frame(1), 4)).isFalse();
    assertThat(queue.queuedEvents()).isEqualTo(2);
  }

  @Test
  void whileTheQueueHoldsItsBytesTheReaderWaitsUntilTheWriterTakesThem() throws Exception {
    OutboundQueue queue = new OutboundQueue(100, 1000, 10_000, Duration.ZERO);
    queue.offerEvent(frame(1000), 1);
    AtomicReference<Thread> reader = new AtomicReference<>();
    Future<Boolean> slot =
        pool.submit(
            () -> {
              reader.set(Thread.currentThread());
              return queue.awaitRequestSlot();
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reader.get() != null && reader.get().getState() == Thread.State.WAITING);
    assertThat(slot.isDone()).isFalse();

    assertThat(nextBatch(queue)).containsExactly(1L);

    assertThat(slot.get()).isTrue();
  }

  @Test
  void theReaderMayWriteAnAnswerOnlyWhenNothingIsQueuedAndTheWriterIsIdle() throws Exception {
    OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE, 10_000, Duration.ZERO);
    assertThat(queue.claimForAnswer()).as("idle and empty").isTrue();
    assertThat(queue.claimForAnswer()).as("already claimed").isFalse();
    queue.answerWritten();

    queue.offerEvent(frame(10), 1);
    assertThat(queue.claimForAnswer()).as("a frame is queued").isFalse();

    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch)).isTrue();
    assertThat(queue.claimForAnswer()).as("the writer is writing its batch").isFalse();

    // The writer asks for more: it has written its batch and holds the channel no longer.
    Future<Boolean> next = pool.submit(() -> queue.takeBatch(new ArrayList<>()));
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.claimForAnswer());
    queue.answerWritten();

    queue.finish(Optional.empty());
    assertThat(next.get()).as("finishing and drained").isFalse();
    assertThat(queue.claimForAnswer()).as("finishing").isFalse();
  }

  @Test
  void theWriterWaitsForTheReadersAnswerBeforeTakingWhatWasQueuedMeanwhile() throws Exception {
    OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE, 10_000, Duration.ZERO);
    assertThat(queue.awaitRequestSlot()).isTrue();
    assertThat(queue.claimForAnswer()).isTrue();
    AtomicReference<Thread> writerThread = new AtomicReference<>();
    Future<List<OutboundQueue.Item>> writer =
        pool.submit(
            () -> {
              writerThread.set(Thread.currentThread());
              List<OutboundQueue.Item> batch = new ArrayList<>();
              assertThat(queue.takeBatch(batch)).isTrue();
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
    assertThat(queue.takeBatch(new ArrayList<>())).as("finished and drained").isFalse();
  }

  @Test
  void anAnswerWrittenByTheReaderGivesBackItsRequestSlot() throws Exception {
    OutboundQueue queue = new OutboundQueue(1, Long.MAX_VALUE, 10_000, Duration.ZERO);
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
    OutboundQueue queue = new OutboundQueue(2, Long.MAX_VALUE, 10_000, Duration.ZERO);
    queue.offerEvent(frame(10), 1);
    List<OutboundQueue.Item> inHand = new ArrayList<>();
    assertThat(queue.takeBatch(inHand)).isTrue();
    queue.offerEvent(frame(10), 2);
    queue.offerEvent(frame(10), 3);
    assertThat(queue.offerEvent(frame(10), 4)).isFalse();

    queue.overflow();

    List<OutboundQueue.Item> batch = new ArrayList<>();
    assertThat(queue.takeBatch(batch)).isTrue();
    assertThat(batch).containsExactly(OutboundQueue.Item.OVERFLOW);
    assertThat(queue.takeBatch(new ArrayList<>())).isFalse();
  }

  // A linger of an hour never ends by itself within the test's timeout: every batch below that is
  // taken at all was released by what the test did.
  private static final Duration FOREVER = Duration.ofHours(1);

  @Test
  void theFirstBatchIsNotHeldBackAndLaterEventsWaitForAnAnswerThatEndsTheLinger()
      throws Exception {
    OutboundQueue queue = new OutboundQueue(100, Long.MAX_VALUE, 1000, FOREVER);
    queue.offerEvent(frame(10), 1);
    assertThat(nextBatch(queue)).as("no earlier batch: no linger").containsExactly(1L);

    queue.offerEvent(frame(10), 2);
    Lingering writer = lingering(queue);
    queue.offerEvent(frame(10), 3);
    assertThat(writer.batch.isDone()).as("more events do not end the linger").isFalse();

    queue.putResponse(frame(10), OutboundQueue.NO_SEQ);

    assertThat(writer.batch.get()).containsExactly(2L, 3L, OutboundQueue.NO_SEQ);
  }

  @Test
  void aFullBatchEndsTheLingerAndFinishingSendsTheRestAtOnce() throws Exception {
    OutboundQueue queue = new OutboundQueue(100, Long.MAX_VALUE, 1000, FOREVER);
    queue.offerEvent(frame(10), 1);
    nextBatch(queue);

    queue.offerEvent(frame(500), 2);
    Lingering writer = lingering(queue);
    queue.offerEvent(frame(600), 3);
    assertThat(writer.batch.get()).as("a batch's worth is queued").containsExactly(2L);

    writer = lingering(queue);
    queue.finish(Optional.empty());
    assertThat(writer.batch.get()).containsExactly(3L);
    assertThat(queue.takeBatch(new ArrayList<>())).isFalse();
  }

  @Test
  void overflowAndCloseEndTheLinger() throws Exception {
    OutboundQueue overflowing = new OutboundQueue(2, Long.MAX_VALUE, 1000, FOREVER);
    overflowing.offerEvent(frame(10), 1);
    nextBatch(overflowing);
    overflowing.offerEvent(frame(10), 2);
    Lingering writer = lingering(overflowing);
    overflowing.offerEvent(frame(10), 3);
    assertThat(overflowing.offerEvent(frame(10), 4)).isFalse();
    overflowing.overflow();
    List<Long> batch = writer.batch.get();
    assertThat(batch).containsExactly(OutboundQueue.NO_SEQ);

    OutboundQueue closing = new OutboundQueue(2, Long.MAX_VALUE, 1000, FOREVER);
    closing.offerEvent(frame(10), 1);
    nextBatch(closing);
    closing.offerEvent(frame(10), 2);
    Future<Boolean> taken = pool.submit(() -> closing.takeBatch(new ArrayList<>()));
    closing.close();
    assertThat(taken.get()).isFalse();
  }

  /** A writer taking its next batch on another thread, seen lingering (waiting with a timeout). */
  private Lingering lingering(OutboundQueue queue) {
    AtomicReference<Thread> thread = new AtomicReference<>();
    Future<List<Long>> batch =
        pool.submit(
            () -> {
              thread.set(Thread.currentThread());
              return nextBatch(queue);
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                batch.isDone()
                    || (thread.get() != null
                        && thread.get().getState() == Thread.State.TIMED_WAITING));
    assertThat(batch.isDone()).as("the writer lingers").isFalse();
    return new Lingering(batch);
  }

  private record Lingering(Future<List<Long>> batch) {}

  @Test
  void closeWakesAWaitingWriterAndReader() throws Exception {
    OutboundQueue queue = new OutboundQueue(1, Long.MAX_VALUE, 10_000, Duration.ZERO);
    assertThat(queue.awaitRequestSlot()).isTrue();
    Future<Boolean> writer = pool.submit(() -> queue.takeBatch(new ArrayList<>()));
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
