package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.ipc.codec.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar stops abruptly while a client streams events and issues calls; a new one comes up
 * on the same path. The client reconnects by itself and resumes (same process: replay; new
 * process: resync), and no call outlives its deadline.
 */
class SidecarRestartTest {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;

  /** Issues calls without pause and checks each one ends within its deadline. */
  private static final class Caller implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<Throwable> problem = new AtomicReference<>();
    final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile int succeeded;
    final Thread thread;

    Caller(PersistentIpcClient client) {
      thread =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    call(client);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "test-caller");
      thread.start();
    }

    private void call(PersistentIpcClient client) throws InterruptedException {
      CompletableFuture<?> call =
          succeeded % 2 == 0 ? client.isRunningAsync() : client.getStateAsync();
      try {
        // The deadline plus a generous margin: beyond it the call hung.
        call.get(CALL_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
        succeeded++;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof BgServiceException b) {
          failures.add(b.code().value());
          // Disconnected: what an app would do before trying again.
          client.waitForConnected(Duration.ofMillis(100));
        } else {
          problem.compareAndSet(null, e.getCause());
        }
      } catch (TimeoutException e) {
        problem.compareAndSet(null, new AssertionError("a call hung past its deadline"));
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }
  }

  @Test
  void reconnectsAndResumesAfterTheSameSidecarComesBack() throws Exception {
    Path socket = dir.resolve("svc.sock");
    TestSidecar first = TestSidecar.start(socket, TestSidecar.Dialect.V2);
    first.logLimit(100_000);
    Recorder recorder = new Recorder();
    TestSidecar back = null;
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(socket)
            .callTimeout(CALL_TIMEOUT)
            .reconnectPolicy(PersistentIpcClientTest.FAST)
            .build()) {
      client.subscribe(recorder, Executors.sameThread());
      assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
      try (Caller caller = new Caller(client)) {
        int n = 0;
        for (; n < 200; n++) {
          first.emit(tick(n));
        }
        first.close(); // abrupt: connections cut mid-stream, socket file gone
        for (; n < 400; n++) {
          first.emit(tick(n)); // while nobody is connected
        }
        back = TestSidecar.resume(first);
        assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
        for (; n < 600; n++) {
          back.emit(tick(n));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.events.size() >= 600);
        await().until(() -> caller.succeeded > 10);
        caller.close();
        assertThat(caller.problem.get()).isNull();
        assertThat(caller.failures).allMatch("ipc_unavailable"::equals);
      }
      assertThat(recorder.eventsOf(ServiceEvent.Resync.class)).isEmpty();
      assertThat(recorder.seqs()).containsExactlyElementsOf(range(1, 600));
    } finally {
      if (back != null) {
        back.close();
      }
    }
  }

  @Test
  void reconnectsAndResyncsAfterANewSidecarReplacesTheKilledOne() throws Exception {
    Path socket = dir.resolve("svc.sock");
    TestSidecar first = TestSidecar.start(socket, TestSidecar.Dialect.V2);
    Recorder recorder = new Recorder();
    TestSidecar second = null;
    try (PersistentIpcClient client =
        PersistentIpcClient.builder(socket)
            .callTimeout(CALL_TIMEOUT)
            .reconnectPolicy(PersistentIpcClientTest.FAST)
            .build()) {
      client.subscribe(recorder, Executors.sameThread());
      assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
      try (Caller caller = new Caller(client)) {
        for (int n = 0; n < 200; n++) {
          first.emit(tick(n));
        }
        first.close();
        second = TestSidecar.start(socket, TestSidecar.Dialect.V2);
        second.setRunning(true);
        assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
        await().until(() -> !recorder.eventsOf(ServiceEvent.Resync.class).isEmpty());
        for (int n = 0; n < 100; n++) {
          second.emit(tick(1000 + n));
        }
        await().until(() -> caller.succeeded > 10);
        caller.close();
        assertThat(caller.problem.get()).isNull();
        assertThat(caller.failures).allMatch("ipc_unavailable"::equals);
      }
      // What the first sidecar had sent may be cut short when it dies (the kernel resets a
      // connection closed with unread requests); after it: one resync, then the new sidecar's
      // events from its own numbering, none lost and none repeated.
      List<ServiceEvent> events = recorder.events;
      int resyncAt = events.indexOf(recorder.eventsOf(ServiceEvent.Resync.class).get(0));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> recorder.events.size() >= resyncAt + 1 + 100);
      assertThat(recorder.eventsOf(ServiceEvent.Resync.class)).hasSize(1);
      assertThat(events.subList(0, resyncAt)).extracting(ServiceEvent::seq)
          .containsExactlyElementsOf(range(1, resyncAt));
      ServiceEvent.Resync resync = (ServiceEvent.Resync) events.get(resyncAt);
      assertThat(resync.status().desiredRunning()).isTrue();
      assertThat(events.subList(resyncAt + 1, events.size()))
          .extracting(ServiceEvent::seq)
          .containsExactlyElementsOf(range(1, 100));
      assertThat(client.sidecarInstance()).contains(second.instance());
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  private static Event tick(int n) {
    return new Event.Custom("tick", JsonNodeFactory.instance.numberNode(n));
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
