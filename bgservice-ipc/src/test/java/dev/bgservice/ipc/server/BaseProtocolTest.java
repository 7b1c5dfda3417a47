package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bgservice.ipc.codec.Event;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that speaks only part A of PROTOCOL.md (no hello, no ids) runs the whole base request
 * list against the server and gets anchor-shaped answers: the exact bytes where the answer is
 * fixed, the exact shape where it holds state.
 */
@Timeout(30)
class BaseProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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
  void theFullBaseRequestListGetsAnchorShapedAnswers() throws IOException {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"hello\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"version\":2}}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"hello\",\"version\":1}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"version\":2}}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"isRunning\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":false}}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"getState\"}"))
          .isEqualTo(
              "{\"kind\":\"response\",\"ok\":true,"
                  + "\"data\":{\"state\":\"idle\",\"lastError\":null}}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"getDesiredState\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"stop\"}"))
          .isEqualTo(
              "{\"kind\":\"response\",\"ok\":false,\"error\":\"Service is not running\","
                  + "\"code\":\"not_running\"}");

      assertThat(
              client.callJson(
                  "{\"kind\":\"request\",\"type\":\"start\",\"config\":"
                      + "{\"serviceLabel\":\"Syncing\",\"foregroundServiceType\":\"dataSync\"}}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      assertThat(client.readEventJson()).isEqualTo("{\"kind\":\"event\",\"type\":\"started\"}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"start\",\"config\":{}}"))
          .isEqualTo(
              "{\"kind\":\"response\",\"ok\":false,\"error\":\"Service is already running\","
                  + "\"code\":\"already_running\"}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"isRunning\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":true}}");
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"getState\"}"))
          .isEqualTo(
              "{\"kind\":\"response\",\"ok\":true,"
                  + "\"data\":{\"state\":\"running\",\"lastError\":null}}");

      assertThat(
              client.callJson(
                  "{\"kind\":\"request\",\"type\":\"enableAutoRestart\","
                      + "\"config\":{\"serviceLabel\":\"Sync\"}}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      assertThat(
              client.callJson(
                  "{\"kind\":\"request\",\"type\":\"enableAutoRestart\",\"config\":null}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      JsonNode desired =
          data(client.callJson("{\"kind\":\"request\",\"type\":\"getDesiredState\"}"));
      assertThat(desired.get("desiredRunning").booleanValue()).isTrue();
      assertThat(desired.at("/lastStartConfig/serviceLabel").textValue()).isEqualTo("Sync");
      assertThat(desired.get("restartAttempt").intValue()).isZero();
      assertThat(desired.get("recoveryPending").booleanValue()).isFalse();
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"disableAutoRestart\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      assertThat(
              data(client.callJson("{\"kind\":\"request\",\"type\":\"getDesiredState\"}"))
                  .get("desiredRunning")
                  .booleanValue())
          .isFalse();

      JsonNode report = data(client.callJson("{\"kind\":\"request\",\"type\":\"validateSetup\"}"));
      assertThat(report.get("ok").isBoolean()).isTrue();
      assertThat(report.get("errors").isArray()).isTrue();
      assertThat(report.get("warnings").isArray()).isTrue();
      assertThat(report.get("issues").isArray()).isTrue();

      JsonNode status =
          data(client.callJson("{\"kind\":\"request\",\"type\":\"getLifecycleStatus\"}"));
      assertThat(status.get("state").textValue()).isEqualTo("running");
      assertThat(status.get("platform").isTextual()).isTrue();
      assertThat(status.get("capabilities").get("lifecycleMode").isTextual()).isTrue();
      assertThat(status.get("issues").isArray()).isTrue();

      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"stop\"}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      assertThat(client.readEventJson())
          .isEqualTo("{\"kind\":\"event\",\"type\":\"stopped\",\"reason\":\"userStop\"}");

      // A base connection never sees a version-2 event, nor seq or ts.
      client.callJson("{\"kind\":\"request\",\"type\":\"isRunning\"}");
      assertThat(client.events()).extracting(Event::type).isEmpty();
    }
  }

  @Test
  void answersComeStrictlyInRequestOrderWhenPipelined() throws IOException {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      client.send("{\"kind\":\"request\",\"type\":\"isRunning\"}");
      client.send("{\"kind\":\"request\",\"type\":\"stop\"}");
      client.send("{\"kind\":\"request\",\"type\":\"getDesiredState\"}");
      client.send("{\"kind\":\"request\",\"type\":\"hello\"}");
      client.send("{\"kind\":\"request\",\"type\":\"start\",\"config\":{}}");
      client.send("{\"kind\":\"request\",\"type\":\"isRunning\"}");
      client.send("{\"kind\":\"request\",\"type\":\"start\",\"config\":{}}");
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        answers.add(client.readResponseJson().json);
      }
      assertThat(answers)
          .containsExactly(
              "{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":false}}",
              "{\"kind\":\"response\",\"ok\":false,\"error\":\"Service is not running\","
                  + "\"code\":\"not_running\"}",
              "{\"kind\":\"response\",\"ok\":true}",
              "{\"kind\":\"response\",\"ok\":true,\"data\":{\"version\":2}}",
              "{\"kind\":\"response\",\"ok\":true}",
              "{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":true}}",
              "{\"kind\":\"response\",\"ok\":false,\"error\":\"Service is already running\","
                  + "\"code\":\"already_running\"}");
    }
  }

  @Test
  void idsAndVersion2FieldsAreIgnoredOnABaseConnection() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<JsonNode> params = new CopyOnWriteArrayList<>();
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws InterruptedException {
            params.add(context.config().params());
            release.await();
          }

          @Override
          public void run(ServiceContext context) throws InterruptedException {
            context.shutdown().await(Duration.ofSeconds(30));
          }
        });
    try (WireClient client = WireClient.connect(server.socketPath())) {
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"isRunning\",\"id\":5}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":false}}");
      // wait:true is not part A: the answer comes while init is still blocked.
      assertThat(
              client.callJson(
                  "{\"kind\":\"request\",\"type\":\"start\",\"id\":6,\"config\":{},"
                      + "\"params\":{\"mode\":\"full\"},\"wait\":true}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      release.countDown();
      assertThat(client.readEventJson()).isEqualTo("{\"kind\":\"event\",\"type\":\"started\"}");
      assertThat(params).singleElement().satisfies(p -> assertThat(p.isEmpty()).isTrue());
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"stop\",\"timeoutMs\":60000}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailedInitReachesBaseClientsAsAnErrorEvent() throws IOException {
    engine.use(
        new BackgroundService() {
          @Override
          public void init(ServiceContext context) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void run(ServiceContext context) {}
        });
    try (WireClient client = WireClient.connect(server.socketPath())) {
      assertThat(client.callJson("{\"kind\":\"request\",\"type\":\"start\",\"config\":{}}"))
          .isEqualTo("{\"kind\":\"response\",\"ok\":true}");
      JsonNode event = JSON.readTree(client.readEventJson());
      assertThat(event.get("kind").textValue()).isEqualTo("event");
      assertThat(event.get("type").textValue()).isEqualTo("error");
      assertThat(event.get("message").textValue()).contains("disk full");
      assertThat(event.has("seq")).isFalse();
      assertThat(event.has("ts")).isFalse();
      assertThat(event.size()).isEqualTo(3);
    }
  }

  private static JsonNode data(String responseJson) throws IOException {
    JsonNode response = JSON.readTree(responseJson);
    assertThat(response.get("ok").booleanValue()).as(responseJson).isTrue();
    return response.get("data");
  }
}
