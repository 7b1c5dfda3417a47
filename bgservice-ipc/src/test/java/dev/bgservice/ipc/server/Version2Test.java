package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Version-2 connections: hello, ids, pipelining, richer start and stop, numbered events. */
@Timeout(30)
class Version2Test {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;

  @BeforeEach
  void start() {
    engine = new TestEngine(dir.resolve("data"));
    server = IpcServer.builder(dir.resolve("s.sock"), engine.client).build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    engine.close();
  }

  @Test
  void helloAnswersVersionInstanceSeqAndStatus() throws Exception {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      Response hello = client.call(new Request.Hello(2).withId(41));
      assertThat(hello.ok()).isTrue();
      assertThat(hello.id()).isEqualTo(OptionalLong.of(41));
      JsonNode data = hello.data().orElseThrow();
      assertThat(data.get("version").intValue()).isEqualTo(2);
      assertThat(data.get("instance").textValue()).isEqualTo(server.instanceId());
      assertThat(data.get("seq").longValue()).isZero();
      assertThat(data.at("/status/state").textValue()).isEqualTo("idle");
      assertThat(data.at("/status/capabilities/platform").isTextual()).isTrue();

      client.call(new Request.Start(StartConfig.defaults()).withId(1));
      engine.awaitRunning();
      Response again = client.call(new Request.Hello(2).withId(42));
      assertThat(again.data().orElseThrow().get("seq").longValue())
          .isEqualTo(server.lastEventSeq())
          .isPositive();
    }
  }

  @Test
  void answersCarryTheRequestIdAndRequestsWithoutIdGetAnswersWithout() throws IOException {
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      assertThat(client.call(new Request.IsRunning().withId(Long.MAX_VALUE)).id())
          .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
      assertThat(client.call(new Request.GetState().withId(-3)).id())
          .isEqualTo(OptionalLong.of(-3));
      assertThat(client.call(new Request.IsRunning()).id()).isEmpty();
      Response failure = client.call(new Request.Stop().withId(9));
      assertThat(failure.ok()).isFalse();
      assertThat(failure.id()).isEqualTo(OptionalLong.of(9));
      assertThat(failure.code()).contains(ErrorCode.NOT_RUNNING);
      assertThat(failure.error()).contains("Service is not running");
    }
  }

  @Test
  void queriesAreAnsweredWhileAStartWaitsForInit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws InterruptedException {
            release.await();
          }

          @Override
          public void run(ServiceContext context) throws InterruptedException {
            context.shutdown().await(Duration.ofSeconds(30));
          }
        });
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      client.send(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
      client.send(new Request.IsRunning().withId(2));
      client.send(new Request.GetState().withId(3));
      client.send(new Request.GetLifecycleStatus().withId(4));
      Map<Long, Response> early = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        Response answer = client.readResponse();
        early.put(answer.id().getAsLong(), answer);
      }
      // The start is still waiting for init, yet every query was answered.
      assertThat(early).containsOnlyKeys(2L, 3L, 4L);
      assertThat(early.get(2L).data().orElseThrow().get("running").booleanValue()).isTrue();
      assertThat(early.get(3L).data().orElseThrow().get("state").textValue())
          .isEqualTo("initializing");
      assertThat(early.get(4L).data().orElseThrow().get("state").textValue()).isEqualTo("starting");

      release.countDown();
      Response started = client.readResponse();
      assertThat(started.id()).isEqualTo(OptionalLong.of(1));
      assertThat(started.ok()).isTrue();
    }
  }

  @Test
  void answersToRequestsWithoutIdKeepTheirOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws InterruptedException {
            release.await();
          }

          @Override
          public void run(ServiceContext context) throws InterruptedException {
            context.shutdown().await(Duration.ofSeconds(30));
          }
        });
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      client.send(new Request.Start(OptionalLong.empty(), StartConfig.defaults(), true));
      client.send(new Request.IsRunning());
      client.send(new Request.GetState().withId(9));
      // The request with an id does not wait; the one without waits for the start before it.
      assertThat(client.readResponse().id()).hasValue(9);
      release.countDown();
      Response started = client.readResponse();
      assertThat(started.id()).isEmpty();
      assertThat(started.data()).isEmpty();
      Response running = client.readResponse();
      assertThat(running.id()).isEmpty();
      assertThat(running.data().orElseThrow().get("running").booleanValue()).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void startWithWaitReportsAFailedInit() throws IOException {
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws IOException {
            throw new IOException("no network");
          }

          @Override
          public void run(ServiceContext context) {}
        });
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      Response answer =
          client.call(new Request.Start(OptionalLong.of(5), StartConfig.defaults(), true));
      assertThat(answer.ok()).isFalse();
      assertThat(answer.id()).isEqualTo(OptionalLong.of(5));
      assertThat(answer.code()).contains(ErrorCode.INIT_FAILED);
      assertThat(answer.error().orElseThrow()).contains("no network");
    }
  }

  @Test
  void startParamsReachTheService() throws Exception {
    List<JsonNode> seen = new ArrayList<>();
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) {
            // In init: the answer to start{wait} comes after init, not after run.
            synchronized (seen) {
              seen.add(context.config().params());
            }
          }

          @Override
          public void run(ServiceContext context) {}
        });
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      Response answer =
          client.call(
              new Request.Start(
                  OptionalLong.of(1),
                  StartConfig.withParams(JsonNodeFactory.instance.objectNode().put("mode", "full")),
                  true));
      assertThat(answer.ok()).isTrue();
    }
    synchronized (seen) {
      assertThat(seen)
          .singleElement()
          .satisfies(p -> assertThat(p.get("mode").textValue()).isEqualTo("full"));
    }
  }

  @Test
  void stopWithTimeoutAnswersAfterRunReturnedOrWithCodeTimeout() throws Exception {
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      client.call(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
      Response stopped = client.call(new Request.Stop(OptionalLong.of(2), OptionalLong.of(5_000)));
      assertThat(stopped.ok()).isTrue();
      assertThat(engine.client.isRunning()).isFalse();

      CountDownLatch release = new CountDownLatch(1);
      engine.use(
          context -> {
            while (true) {
              try {
                release.await();
                return;
              } catch (InterruptedException ignored) {
                // this service will not stop
              }
            }
          });
      try {
        client.call(new Request.Start(OptionalLong.of(3), StartConfig.defaults(), true));
        Response timedOut = client.call(new Request.Stop(OptionalLong.of(4), OptionalLong.of(50)));
        assertThat(timedOut.ok()).isFalse();
        assertThat(timedOut.id()).isEqualTo(OptionalLong.of(4));
        assertThat(timedOut.code()).contains(ErrorCode.TIMEOUT);
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void version2ClientsGetEveryEventNumberedAndBaseClientsOnlyTheBaseOnes() throws Exception {
    try (WireClient v2 = WireClient.connectV2(server.socketPath());
        WireClient base = WireClient.connect(server.socketPath())) {
      // A connection gets the events from when the server admitted it; an answer proves that.
      base.call(new Request.IsRunning());
      long before = System.currentTimeMillis();
      v2.call(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
      ServiceContext context = engine.awaitRunning();
      context.events().emit("progress", Map.of("done", 3));
      context.events().emit("ping", null);
      v2.call(new Request.Stop(OptionalLong.of(2), OptionalLong.of(5_000)));

      List<Event> events = new ArrayList<>(v2.takeEvents());
      while (events.isEmpty() || !"stopped".equals(last(events).type())) {
        events.add(v2.readEvent());
      }
      // stopping -> stopped may come after the stopped event
      while (events.stream()
          .noneMatch(
              e ->
                  e instanceof Event.StateChanged
                      && ((Event.StateChanged) e).to().equals("stopped"))) {
        events.add(v2.readEvent());
      }
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).seq()).isEqualTo(OptionalLong.of(i + 1));
        assertThat(events.get(i).ts().orElseThrow()).isGreaterThanOrEqualTo(before - 1000);
      }
      assertThat(events)
          .filteredOn(e -> e instanceof Event.StateChanged)
          .extracting(e -> ((Event.StateChanged) e).from() + ">" + ((Event.StateChanged) e).to())
          .containsExactly(
              "idle>starting", "starting>running", "running>stopping", "stopping>stopped");
      assertThat(events)
          .filteredOn(e -> e instanceof Event.Custom)
          .extracting(e -> ((Event.Custom) e).name() + "=" + ((Event.Custom) e).payload())
          .containsExactly("progress={\"done\":3}", "ping=null");
      assertThat(events).extracting(Event::type).contains("started", "stopped");

      base.call(new Request.IsRunning()); // everything above was queued before this answer
      assertThat(base.events()).extracting(Event::type).containsExactly("started", "stopped");
      assertThat(base.events()).allSatisfy(e -> assertThat(e.seq()).isEmpty());
      assertThat(server.lastEventSeq()).isEqualTo(events.size());
    }
  }

  @Test
  void aSecondHelloOnAVersion2ConnectionReplaysNothing() throws Exception {
    try (WireClient client = WireClient.connectV2(server.socketPath())) {
      client.call(new Request.Start(OptionalLong.of(1), StartConfig.defaults(), true));
      ServiceContext context = engine.awaitRunning();
      context.events().emit("one", null);
      long last = server.lastEventSeq();
      Response again =
          client.call(
              new Request.Hello(
                  OptionalLong.of(2), 2, Optional.of(server.instanceId()), OptionalLong.of(0)));
      assertThat(again.data().orElseThrow().get("seq").longValue()).isEqualTo(last);
      context.events().emit("two", null);
      List<Event> events = new ArrayList<>(client.takeEvents());
      while (!(last(events) instanceof Event.Custom
          && ((Event.Custom) last(events)).name().equals("two"))) {
        events.add(client.readEvent());
      }
      assertThat(events).extracting(e -> e.seq().getAsLong()).doesNotHaveDuplicates().isSorted();
    }
  }

  private static Event last(List<Event> events) {
    return events.isEmpty() ? new Event.ShuttingDown() : events.get(events.size() - 1);
  }
}
