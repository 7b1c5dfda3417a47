package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.Message;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.codec.Response;
import dev.bgservice.service.StartConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PROTOCOL.md A.8: a well-framed bad request is answered with a code and the connection stays
 * usable; a frame that breaks the framing is answered if possible and that connection is closed.
 * Neither the service nor another client notices.
 */
@Timeout(30)
class BadInputTest {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;
  private WireClient bystander;

  @BeforeEach
  void start() throws IOException {
    engine = new TestEngine(dir.resolve("data"));
    server = IpcServer.builder(dir.resolve("s.sock"), engine.client).build();
    server.start();
    bystander = WireClient.connectV2(server.socketPath());
    assertThat(bystander.call(new Request.Start(StartConfig.defaults()).withId(1)).ok()).isTrue();
  }

  @AfterEach
  void stop() throws IOException {
    try {
      // The other client and the service noticed nothing.
      Response running = bystander.call(new Request.IsRunning().withId(2));
      assertThat(running.data().orElseThrow().get("running").booleanValue()).isTrue();
      assertThat(engine.client.manager().snapshot().generation()).isEqualTo(1);
      bystander.close();
    } finally {
      server.close();
      engine.close();
    }
  }

  static Stream<Arguments> badRequests() {
    String malformed = "malformed_frame";
    String invalid = "invalid_request";
    return Stream.of(
        arguments("not JSON", "{invalid", malformed, null),
        arguments("a JSON array", "[1,2,3]", malformed, null),
        arguments("a JSON scalar", "42", malformed, null),
        arguments("trailing data", "{\"kind\":\"request\",\"type\":\"stop\"} x", malformed, null),
        arguments("unknown kind", "{\"kind\":\"unknown\",\"id\":4}", invalid, 4L),
        arguments("missing kind", "{\"type\":\"stop\",\"id\":5}", invalid, 5L),
        arguments(
            "unknown type", "{\"kind\":\"request\",\"type\":\"reboot\",\"id\":6}", invalid, 6L),
        arguments(
            "wrong field type",
            "{\"kind\":\"request\",\"type\":\"start\",\"config\":\"fast\",\"id\":7}",
            invalid,
            7L),
        arguments(
            "a response from a client",
            "{\"kind\":\"response\",\"ok\":true,\"id\":8}",
            invalid,
            8L),
        arguments(
            "an event from a client", "{\"kind\":\"event\",\"type\":\"started\"}", invalid, null),
        arguments(
            "a lone surrogate",
            "{\"kind\":\"request\",\"type\":\"start\","
                + "\"config\":{\"serviceLabel\":\"\\ud800\"},\"id\":9}",
            invalid,
            9L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void aWellFramedBadRequestIsAnsweredAndTheConnectionStaysUsable(
      String name, String json, String code, Long id) throws IOException {
    for (boolean version2 : new boolean[] {false, true}) {
      try (WireClient client =
          version2
              ? WireClient.connectV2(server.socketPath())
              : WireClient.connect(server.socketPath())) {
        client.send(json);
        Response answer = client.readResponse();
        assertThat(answer.ok()).isFalse();
        assertThat(answer.code()).contains(ErrorCode.of(code));
        assertThat(answer.error().orElseThrow()).isNotBlank();
        // Only a version-2 connection echoes ids.
        assertThat(answer.id())
            .isEqualTo(id == null || !version2 ? OptionalLong.empty() : OptionalLong.of(id));

        Response next = client.call(new Request.GetState().withId(10));
        assertThat(next.ok()).isTrue();
        assertThat(next.id()).isEqualTo(version2 ? OptionalLong.of(10) : OptionalLong.empty());
      }
    }
  }

  @Test
  void aZeroLengthFrameIsAnsweredThenTheConnectionIsClosed() throws IOException {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
      client.sendRaw(new byte[] {0, 0, 0, 0});
      assertClosedAfterOneFailure(client.readUntilClosed(), ErrorCode.FRAME_TOO_LARGE);
    }
  }

  @Test
  void anOversizedFrameIsRefusedBeforeAllocationAnsweredAndClosed() throws IOException {
    for (byte[] header :
        List.of(
            new byte[] {0x01, 0, 0, 0x01},
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})) {
      try (WireClient client = WireClient.connectV2(server.socketPath())) {
        client.sendRaw(header);
        assertClosedAfterOneFailure(client.readUntilClosed(), ErrorCode.FRAME_TOO_LARGE);
      }
    }
  }

  @Test
  void aFrameCutShortByEndOfStreamIsAnsweredThenClosed() throws IOException {
    try (WireClient client = WireClient.connect(server.socketPath())) {
      byte[] partial = "{\"kind\":\"req".getBytes(StandardCharsets.UTF_8);
      client.sendRaw(ByteBuffer.allocate(4 + partial.length).putInt(100).put(partial).array());
      client.shutdownOutput();
      assertClosedAfterOneFailure(client.readUntilClosed(), ErrorCode.MALFORMED_FRAME);
    }
  }

  private static void assertClosedAfterOneFailure(List<Message> messages, ErrorCode code) {
    assertThat(messages)
        .filteredOn(m -> m instanceof Response)
        .singleElement()
        .satisfies(
            m -> {
              Response answer = (Response) m;
              assertThat(answer.ok()).isFalse();
              assertThat(answer.code()).contains(code);
              assertThat(answer.error().orElseThrow()).isNotBlank();
            });
  }
}
