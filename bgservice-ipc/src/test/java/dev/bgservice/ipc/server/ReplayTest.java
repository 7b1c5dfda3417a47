package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** hello{instance, resumeAfter}: replay with no gap and no duplicate, or resync. */
@Timeout(60)
class ReplayTest {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;
  private ServiceContext service;

  private void start(int replayBufferSize) throws Exception {
    engine = new TestEngine(dir.resolve("data"));
    server =
        IpcServer.builder(dir.resolve("s.sock"), engine.client)
            .replayBufferSize(replayBufferSize)
            .build();
    server.start();
    engine.client.start(StartConfig.defaults());
    service = engine.awaitRunning();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void reconnectingClientsResumeWithoutGapOrDuplicateWhileEventsKeepComing() throws Exception {
    start(100_000);
    // The emitter never gets more than 500 events ahead of what the client has read, so nothing
    // overflows while the client is away; events keep coming during every reconnect.
    Semaphore ahead = new Semaphore(500);
    AtomicBoolean emitting = new AtomicBoolean(true);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      WireClient client = WireClient.connect(server.socketPath());
      Response hello = client.call(new Request.Hello(2));
      String instance = hello.data().orElseThrow().get("instance").textValue();
      long lastSeen = hello.data().orElseThrow().get("seq").longValue();
      Future<?> emitter =
          pool.submit(
              () -> {
                for (long n = 1; emitting.get(); n++) {
                  if (ahead.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    service.events().emit("n", Map.of("n", n));
                  } else {
                    n--;
                  }
                }
                return null;
              });
      Random random = new Random(42);
      long firstCustomSeq = -1;
      long firstCustomN = -1;
      int events = 0;
      for (int round = 0; round < 40; round++) {
        int toRead = 1 + random.nextInt(300);
        for (int i = 0; i < toRead; i++) {
          Event event = client.readEvent();
          long seq = event.seq().orElseThrow();
          assertThat(seq).as("event after %s in round %s", lastSeen, round).isEqualTo(lastSeen + 1);
          lastSeen = seq;
          events++;
          Event.Custom custom = (Event.Custom) event;
          long n = custom.payload().get("n").longValue();
          if (firstCustomSeq < 0) {
            firstCustomSeq = seq;
            firstCustomN = n;
          }
          // The payload counter moves in lockstep with seq: nothing lost, nothing repeated.
          assertThat(n - firstCustomN).isEqualTo(seq - firstCustomSeq);
          ahead.release();
        }
        client.close();
        client = WireClient.connect(server.socketPath());
        client.send(
            new Request.Hello(
                OptionalLong.of(round), 2, Optional.of(instance), OptionalLong.of(lastSeen)));
        Response resumed = client.readResponse();
        assertThat(resumed.id()).hasValue(round);
        assertThat(resumed.data().orElseThrow().get("seq").longValue())
            .isGreaterThanOrEqualTo(lastSeen);
        assertThat(client.events()).isEmpty(); // the answer comes before the replay
      }
      emitting.set(false);
      emitter.get();
      client.close();
      assertThat(events).isGreaterThan(40);
    } finally {
      emitting.set(false);
      pool.shutdownNow();
    }
  }

  @Test
  void aResumeWithinTheBufferReplaysExactlyTheMissedEventsThenGoesLive() throws Exception {
    start(4);
    long before = server.lastEventSeq();
    for (int n = 1; n <= 10; n++) {
      service.events().emit("n", Map.of("n", n));
    }
    long last = server.lastEventSeq();
    assertThat(last).isEqualTo(before + 10);
    try (WireClient client = WireClient.connect(server.socketPath())) {
      // The buffer holds the last 4 events: resuming after last-4 is the oldest possible point.
      Response answer =
          client.call(
              new Request.Hello(
                  OptionalLong.of(1),
                  2,
                  Optional.of(server.instanceId()),
                  OptionalLong.of(last - 4)));
      assertThat(answer.data().orElseThrow().get("seq").longValue()).isEqualTo(last);
      for (long seq = last - 3; seq <= last; seq++) {
        Event event = client.readEvent();
        assertThat(event.seq()).hasValue(seq);
        assertThat(((Event.Custom) event).payload().get("n").intValue())
            .isEqualTo((int) (seq - before));
      }
      service.events().emit("live", null);
      Event live = client.readEvent();
      assertThat(live.seq()).hasValue(last + 1);
      assertThat(((Event.Custom) live).name()).isEqualTo("live");
    }
  }

  @Test
  void resumingAtTheLastEventReplaysNothing() throws Exception {
    start(4);
    service.events().emit("one", null);
    long last = server.lastEventSeq();
    try (WireClient client = WireClient.connect(server.socketPath())) {
      client.call(
          new Request.Hello(
              OptionalLong.of(1), 2, Optional.of(server.instanceId()), OptionalLong.of(last)));
      service.events().emit("two", null);
      Event next = client.readEvent();
      assertThat(next.seq()).hasValue(last + 1);
      assertThat(next.type()).isEqualTo("service");
    }
  }

  @Test
  void aResumeTooOldForTheBufferGetsResync() throws Exception {
    start(4);
    for (int n = 1; n <= 10; n++) {
      service.events().emit("n", null);
    }
    assertResync(Optional.of(server.instanceId()), server.lastEventSeq() - 5);
  }

  @Test
  void aResumeFromAnotherInstanceGetsResync() throws Exception {
    start(1024);
    service.events().emit("n", null);
    assertResync(Optional.of("another-sidecar"), 1);
    assertResync(Optional.empty(), 1);
  }

  @Test
  void aResumeFromTheFutureGetsResync() throws Exception {
    start(1024);
    assertResync(Optional.of(server.instanceId()), server.lastEventSeq() + 1);
  }

  /** A resync at the answer's seq with the current status, then live events from the next seq. */
  private void assertResync(Optional<String> instance, long resumeAfter) throws IOException {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      Response answer =
          client.call(
              new Request.Hello(OptionalLong.of(1), 2, instance, OptionalLong.of(resumeAfter)));
      long position = answer.data().orElseThrow().get("seq").longValue();
      Event resync = client.readEvent();
      assertThat(resync).isInstanceOf(Event.Resync.class);
      assertThat(resync.seq()).hasValue(position);
      assertThat(resync.ts()).isPresent();
      assertThat(((Event.Resync) resync).status().state().wireName()).isEqualTo("running");
      service.events().emit("after", null);
      Event live = client.readEvent();
      assertThat(live.seq()).hasValue(position + 1);
    }
  }
}
