package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event continuity across reconnects: replay from the same sidecar, resync from a new one. */
class EventResumeTest {

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Path socket() {
    return dir.resolve("svc.sock");
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private PersistentIpcClient connectedClient() throws Exception {
    PersistentIpcClient client =
        closeLater(
            PersistentIpcClient.builder(socket())
                .reconnectPolicy(PersistentIpcClientTest.FAST)
                .build());
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    return client;
  }

  private static Event tick(long n) {
    return new Event.Custom("tick", JsonNodeFactory.instance.numberNode(n));
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void afterReconnectingToTheSameSidecarMissedEventsAreReplayedOnce() throws Exception {
    TestSidecar first = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    PersistentIpcClient client = connectedClient();
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    for (int i = 1; i <= 10; i++) {
      first.emit(tick(i));
    }
    await().until(() -> recorder.events.size() == 10);

    first.close(); // the socket goes away; the process (its state and log) lives on
    await().until(() -> !client.isConnected());
    for (int i = 11; i <= 20; i++) {
      first.emit(tick(i)); // nobody is connected to see these
    }
    TestSidecar back = closeLater(TestSidecar.resume(first));
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    for (int i = 21; i <= 30; i++) {
      back.emit(tick(i));
    }
    await().until(() -> recorder.events.size() >= 30);
    assertThat(recorder.seqs()).containsExactlyElementsOf(range(1, 30));
    assertThat(recorder.eventsOf(ServiceEvent.Resync.class)).isEmpty();
    assertThat(back.requests().get(0))
        .contains("\"instance\":\"" + first.instance() + "\"")
        .contains("\"resumeAfter\":10");
  }

  @Test
  void noGapAndNoDuplicateWhileTheConnectionKeepsDroppingUnderLoad() throws Exception {
    TestSidecar sidecar = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    PersistentIpcClient client = connectedClient();
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    int total = 3000;
    sidecar.logLimit(total); // everything stays replayable: no resync may be needed
    Thread emitter =
        new Thread(
            () -> {
              for (int i = 1; i <= total; i++) {
                sidecar.emit(tick(i));
              }
            },
            "test-emitter");
    emitter.start();
    for (int drop = 0; drop < 10; drop++) {
      await().until(client::isConnected);
      sidecar.dropConnections();
    }
    emitter.join();
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.events.size() >= total);
    assertThat(recorder.events).noneMatch(e -> e instanceof ServiceEvent.Resync);
    assertThat(recorder.seqs()).containsExactlyElementsOf(range(1, total));
    assertThat(sidecar.acceptedConnections()).isGreaterThan(1);
  }

  @Test
  void aRestartedSidecarGivesOneResyncWithItsStatusThenItsOwnEvents() throws Exception {
    TestSidecar first = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    PersistentIpcClient client = connectedClient();
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    for (int i = 1; i <= 5; i++) {
      first.emit(tick(i));
    }
    await().until(() -> recorder.events.size() == 5);
    first.close();
    await().until(() -> !client.isConnected());

    TestSidecar second = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    second.setRunning(true); // happened before the client got back: in the snapshot
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    assertThat(client.sidecarInstance()).contains(second.instance());
    // Wait for the resync before emitting, so the live events come after it on the wire too.
    await().until(() -> !recorder.eventsOf(ServiceEvent.Resync.class).isEmpty());
    long base = second.lastSeq();
    for (int i = 1; i <= 5; i++) {
      second.emit(tick(100 + i));
    }
    await().until(() -> recorder.events.size() >= 11);

    List<ServiceEvent> events = recorder.events;
    assertThat(events).hasSize(11);
    assertThat(events.subList(0, 5)).extracting(ServiceEvent::seq).containsExactlyElementsOf(range(1, 5));
    ServiceEvent.Resync resync = (ServiceEvent.Resync) events.get(5);
    assertThat(resync.status().state()).isEqualTo(StatusState.RUNNING);
    assertThat(events.subList(6, 11))
        .extracting(ServiceEvent::seq)
        .containsExactlyElementsOf(range(base + 1, base + 5));
    assertThat(client.lastEventSeq()).isEqualTo(base + 5);
  }

  @Test
  void aResumePointTooOldForTheReplayLogGivesAResync() throws Exception {
    TestSidecar first = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    first.logLimit(5);
    PersistentIpcClient client = connectedClient();
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    first.emit(tick(1));
    await().until(() -> recorder.events.size() == 1);
    first.close();
    await().until(() -> !client.isConnected());
    for (int i = 2; i <= 20; i++) {
      first.emit(tick(i)); // the log keeps only 16..20: 2..15 are lost
    }
    TestSidecar back = closeLater(TestSidecar.resume(first));
    await().until(() -> !recorder.eventsOf(ServiceEvent.Resync.class).isEmpty());
    long base = back.lastSeq();
    back.emit(tick(21));
    back.emit(tick(22));
    await().until(() -> recorder.events.size() >= 4);
    assertThat(recorder.events).hasSize(4);
    assertThat(recorder.events.get(0).seq()).isEqualTo(1);
    assertThat(recorder.events.get(1)).isInstanceOf(ServiceEvent.Resync.class);
    assertThat(recorder.events.subList(2, 4))
        .extracting(ServiceEvent::seq)
        .containsExactly(base + 1, base + 2);
  }

  @Test
  void aDuplicatedEventIsDroppedAndAGapMakesTheClientResume() throws Exception {
    TestSidecar sidecar = closeLater(TestSidecar.start(socket(), TestSidecar.Dialect.V2));
    PersistentIpcClient client = connectedClient();
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    sidecar.emit(tick(1));
    sidecar.emit(tick(2));
    await().until(() -> recorder.events.size() == 2);

    long now = System.currentTimeMillis();
    sidecar.sendRawToVersion2(tick(2).numbered(2, now)); // a duplicate
    sidecar.emit(tick(3));
    await().until(() -> recorder.events.size() == 3);
    assertThat(recorder.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(sidecar.acceptedConnections()).isEqualTo(1);

    // seq 5 out of nowhere: 4 is missing. The client drops the connection and resumes after 3.
    sidecar.sendRawToVersion2(
        new Event.Custom(OptionalLong.of(5), OptionalLong.of(now), "bogus", null));
    await().until(() -> sidecar.acceptedConnections() == 2 && client.isConnected());
    sidecar.emit(tick(4));
    sidecar.emit(tick(5));
    await().until(() -> recorder.events.size() >= 5);
    assertThat(recorder.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(recorder.eventsOf(ServiceEvent.Custom.class)).noneMatch(e -> e.name().equals("bogus"));
    assertThat(sidecar.requests()).anyMatch(r -> r.contains("\"resumeAfter\":3"));
  }
}
