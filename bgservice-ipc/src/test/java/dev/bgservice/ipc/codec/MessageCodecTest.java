package dev.bgservice.ipc.codec;

import static dev.bgservice.ipc.codec.VectorsTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.SetupIssue;
import dev.bgservice.status.Severity;
import dev.bgservice.status.StatusState;
import dev.bgservice.status.Support;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON form of every message: exact encodings, round trips, leniency and rejections. */
class MessageCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // ------------------------------------------------------------------ round trips

  static Stream<Message> everyMessage() throws Exception {
    ObjectNode params = (ObjectNode) JSON.readTree("{\"dir\":\"/data\",\"n\":[1,2.50,true,null]}");
    StartConfig custom = new StartConfig("Syncing", "dataSync", params);
    OptionalLong id = OptionalLong.of(42);
    OptionalLong seq = OptionalLong.of(7);
    OptionalLong ts = OptionalLong.of(1_700_000_000_000L);
    return Stream.of(
        new Request.Start(StartConfig.defaults()),
        new Request.Start(id, custom, true),
        new Request.Stop(),
        new Request.Stop(id, OptionalLong.of(5000)),
        new Request.IsRunning(),
        new Request.IsRunning(id),
        new Request.GetState(id),
        new Request.EnableAutoRestart(Optional.empty()),
        new Request.EnableAutoRestart(id, Optional.of(custom)),
        new Request.DisableAutoRestart(id),
        new Request.GetDesiredState(id),
        new Request.ValidateSetup(id),
        new Request.GetLifecycleStatus(id),
        new Request.Hello(0),
        new Request.Hello(id, 2, Optional.of("inst-1"), OptionalLong.of(99)),
        Response.success(),
        Response.success(JSON.readTree("{\"running\":true}")).withId(id),
        Response.failure(ErrorCode.ALREADY_RUNNING, AlreadyRunningException.MESSAGE).withId(id),
        new Response(
            OptionalLong.empty(), false, Optional.empty(), Optional.of("x"), Optional.empty()),
        new Event.Started(),
        new Event.Started(seq, ts),
        new Event.Stopped(seq, ts, "userStop"),
        new Event.Failed("Initialisation failed: disk full"),
        new Event.StateChanged(seq, ts, "starting", "running"),
        new Event.Custom(seq, ts, "progress", JSON.readTree("{\"done\":3,\"of\":10}")),
        new Event.Custom("ping", null),
        new Event.ShuttingDown(seq, ts),
        new Event.Overflow(seq, ts),
        new Event.Resync(seq, ts, status()));
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void everyMessageSurvivesARoundTrip(Message message) {
    byte[] json = MessageCodec.encode(message);
    assertThat(MessageCodec.decode(json)).isEqualTo(message);
    assertThat(
            MessageCodec.decode(
                VectorsTest.bytes(MessageCodec.encodeFrame(message)), 4, json.length))
        .isEqualTo(message);
  }

  // ------------------------------------------------------------------ exact encodings

  @ParameterizedTest
  @MethodSource("exactEncodings")
  void encodesCompactlyWithKindAndTypeFirst(Message message, String json) {
    assertThat(new String(MessageCodec.encode(message), StandardCharsets.UTF_8)).isEqualTo(json);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> exactEncodings() throws Exception {
    return Stream.of(
        args(new Request.Stop(), "{\"kind\":\"request\",\"type\":\"stop\"}"),
        args(
            new Request.Start(StartConfig.defaults()),
            "{\"kind\":\"request\",\"type\":\"start\",\"config\":"
                + "{\"serviceLabel\":\"Service running\",\"foregroundServiceType\":\"dataSync\"}}"),
        args(
            new Request.Start(
                    OptionalLong.empty(),
                    StartConfig.withParams((ObjectNode) JSON.readTree("{\"a\":1}")),
                    true)
                .withId(3),
            "{\"kind\":\"request\",\"type\":\"start\",\"id\":3,\"config\":"
                + "{\"serviceLabel\":\"Service running\",\"foregroundServiceType\":\"dataSync\"},"
                + "\"params\":{\"a\":1},\"wait\":true}"),
        args(
            new Request.Stop(OptionalLong.of(1), OptionalLong.of(250)),
            "{\"kind\":\"request\",\"type\":\"stop\",\"id\":1,\"timeoutMs\":250}"),
        args(
            new Request.EnableAutoRestart(Optional.empty()),
            "{\"kind\":\"request\",\"type\":\"enableAutoRestart\"}"),
        args(new Request.Hello(1), "{\"kind\":\"request\",\"type\":\"hello\",\"version\":1}"),
        args(
            new Request.Hello(OptionalLong.empty(), 2, Optional.of("abc"), OptionalLong.of(5)),
            "{\"kind\":\"request\",\"type\":\"hello\",\"version\":2,\"instance\":\"abc\","
                + "\"resumeAfter\":5}"),
        args(
            Response.success(JSON.readTree("{\"running\":false}")),
            "{\"kind\":\"response\",\"ok\":true,\"data\":{\"running\":false}}"),
        args(
            Response.failure(ErrorCode.ALREADY_RUNNING, "Service is already running"),
            "{\"kind\":\"response\",\"ok\":false,\"error\":\"Service is already running\","
                + "\"code\":\"already_running\"}"),
        args(
            Response.success().withId(OptionalLong.of(9)),
            "{\"kind\":\"response\",\"id\":9,\"ok\":true}"),
        args(new Event.Started(), "{\"kind\":\"event\",\"type\":\"started\"}"),
        args(
            new Event.Stopped("userStop").numbered(12, 1000),
            "{\"kind\":\"event\",\"type\":\"stopped\",\"seq\":12,\"ts\":1000,\"reason\":\"userStop\"}"),
        args(
            new Event.Failed("Initialisation failed: disk full"),
            "{\"kind\":\"event\",\"type\":\"error\",\"message\":\"Initialisation failed: disk"
                + " full\"}"),
        args(
            new Event.StateChanged("idle", "starting"),
            "{\"kind\":\"event\",\"type\":\"stateChanged\",\"from\":\"idle\",\"to\":\"starting\"}"),
        args(
            new Event.Custom("tick", JSON.readTree("1.50")),
            "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"tick\",\"payload\":1.5}"),
        args(new Event.Overflow(), "{\"kind\":\"event\",\"type\":\"overflow\"}"),
        args(
            new Event.Failed("\u00e9chec \ud83d\ude80"),
            "{\"kind\":\"event\",\"type\":\"error\",\"message\":\"\u00e9chec \ud83d\ude80\"}"));
  }

  private static org.junit.jupiter.params.provider.Arguments args(Message m, String json) {
    return org.junit.jupiter.params.provider.Arguments.of(m, json);
  }

  @Test
  void numberedAndUnnumberedEventsDifferOnlyInSeqAndTs() {
    Event plain = new Event.StateChanged("idle", "starting");
    Event numbered = plain.numbered(5, 6);
    assertThat(numbered.seq()).hasValue(5);
    assertThat(numbered.ts()).hasValue(6);
    assertThat(numbered.unnumbered()).isEqualTo(plain);
    assertThat(plain.isBase()).isFalse();
    assertThat(new Event.Stopped("x").isBase()).isTrue();
  }

  // ------------------------------------------------------------------ lenient reading

  @Test
  void startWithoutConfigGetsTheDefaults() {
    Request.Start start = (Request.Start) decode("{\"kind\":\"request\",\"type\":\"start\"}");
    assertThat(start.config()).isEqualTo(StartConfig.defaults());
    assertThat(start.waitForInit()).isFalse();
    assertThat(start.id()).isEmpty();
  }

  @Test
  void startParamsAreReadAtRequestLevelOrInsideConfigAndRequestLevelWins() {
    Request.Start inside =
        (Request.Start)
            decode("{\"kind\":\"request\",\"type\":\"start\",\"config\":{\"params\":{\"a\":1}}}");
    assertThat(inside.config().params().get("a").intValue()).isEqualTo(1);

    Request.Start both =
        (Request.Start)
            decode(
                "{\"kind\":\"request\",\"type\":\"start\",\"config\":{\"serviceLabel\":\"S\","
                    + "\"params\":{\"a\":1}},\"params\":{\"b\":2},\"wait\":true,\"id\":4}");
    assertThat(both.config().params().has("a")).isFalse();
    assertThat(both.config().params().get("b").intValue()).isEqualTo(2);
    assertThat(both.config().serviceLabel()).isEqualTo("S");
    assertThat(both.waitForInit()).isTrue();
    assertThat(both.id()).hasValue(4);
  }

  @Test
  void nullOptionalFieldsAreAbsent() {
    assertThat(
            decode(
                "{\"kind\":\"request\",\"type\":\"start\",\"config\":null,\"params\":null,"
                    + "\"wait\":null,\"id\":null}"))
        .isEqualTo(new Request.Start(StartConfig.defaults()));
    assertThat(
            decode("{\"kind\":\"request\",\"type\":\"hello\",\"version\":null,\"instance\":null}"))
        .isEqualTo(new Request.Hello(0));
    assertThat(decode("{\"kind\":\"event\",\"type\":\"started\",\"seq\":null,\"ts\":null}"))
        .isEqualTo(new Event.Started());
    assertThat(decode("{\"kind\":\"response\",\"ok\":true,\"code\":null}"))
        .isEqualTo(Response.success());
  }

  @Test
  void unknownErrorCodesSurvive() {
    Response r =
        (Response) decode("{\"kind\":\"response\",\"ok\":false,\"code\":\"from_the_future\"}");
    assertThat(r.code()).contains(ErrorCode.of("from_the_future"));
  }

  // ------------------------------------------------------------------ rejections

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"kind\":\"request\",\"type\":\"start\",\"wait\":\"yes\"}|wait must be a boolean",
        "{\"kind\":\"request\",\"type\":\"start\",\"params\":[1]}|params must be an object",
        "{\"kind\":\"request\",\"type\":\"start\",\"config\":{\"serviceLabel\":5}}|config.serviceLabel"
            + " must be a string",
        "{\"kind\":\"request\",\"type\":\"stop\",\"timeoutMs\":-1}|timeoutMs must not be negative",
        "{\"kind\":\"request\",\"type\":\"stop\",\"timeoutMs\":1.5}|timeoutMs must be an integer",
        "{\"kind\":\"request\",\"type\":\"hello\",\"version\":\"2\"}|version must be an integer",
        "{\"kind\":\"request\",\"type\":\"hello\",\"version\":4294967296}|version is too large",
        "{\"kind\":\"request\",\"type\":\"hello\",\"instance\":7}|instance must be a string",
        "{\"kind\":\"request\",\"type\":\"isRunning\",\"id\":1.0}|id must be an integer",
        "{\"kind\":\"request\",\"type\":\"isRunning\",\"id\":99999999999999999999}|id must be an"
            + " integer",
        "{\"kind\":\"request\",\"type\":5}|type must be a string",
        "{\"kind\":\"request\",\"type\":\"reboot\"}|type 'reboot' is unknown",
        "{\"kind\":\"event\",\"type\":\"error\"}|message is missing",
        "{\"kind\":\"event\",\"type\":\"stateChanged\",\"from\":\"idle\"}|to is missing",
        "{\"kind\":\"event\",\"type\":\"service\",\"payload\":1}|name is missing",
        "{\"kind\":\"event\",\"type\":\"resync\"}|status is missing",
        "{\"kind\":\"event\",\"type\":\"started\",\"seq\":\"1\"}|seq must be an integer",
        "{\"kind\":\"response\",\"ok\":true,\"error\":3}|error must be a string",
        "{\"kind\":\"response\",\"ok\":false,\"code\":\" \"}|code must not be blank",
        "{\"kind\":\"Request\",\"type\":\"stop\"}|kind must be one of request, response, event",
      })
  void rejectsInvalidMessagesNamingTheField(String json, String expected) {
    CodecException e = catchThrowableOfType(CodecException.class, () -> decode(json));
    assertThat(e).as(json).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.framingIntact()).isTrue();
    assertThat(e)
        .hasMessageStartingWith("Invalid ")
        .hasMessageContaining(expected)
        .hasMessageEndingWith(".");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"kind\":\"request\",\"type\":\"stop\"} x",
        "{\"kind\":\"request\",\"type\":\"stop\"}{\"kind\":\"request\",\"type\":\"stop\"}",
        "{\"kind\":\"request\",\"type\":\"stop\",\"type\":\"start\"}",
        "'   '",
        "null",
        "\"text\"",
        "{\"kind\":\"request\",\"type\":\"stop\",}",
        "{'kind':'request','type':'stop'}",
      })
  void rejectsFramesThatAreNotOneJsonObject(String json) {
    CodecException e = catchThrowableOfType(CodecException.class, () -> decode(json));
    assertThat(e).as(json).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(e.requestId()).isEmpty();
  }

  @Test
  void rejectsInvalidUtf8AsMalformed() {
    byte[] json = utf8("{\"kind\":\"event\",\"type\":\"error\",\"message\":\"ab\"}");
    json[json.length - 4] = (byte) 0xff;
    CodecException e = catchThrowableOfType(CodecException.class, () -> MessageCodec.decode(json));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
  }

  // ------------------------------------------------------------------ request ids in errors

  @Test
  void invalidRequestsExposeTheirId() {
    assertThat(idOfFailure("{\"kind\":\"request\",\"type\":\"reboot\",\"id\":7}")).hasValue(7);
    assertThat(idOfFailure("{\"id\":-3,\"kind\":\"request\",\"type\":\"start\",\"config\":\"x\"}"))
        .hasValue(-3);
    assertThat(idOfFailure("{\"kind\":\"nope\",\"id\":8}")).hasValue(8);
    assertThat(idOfFailure("{\"type\":\"stop\",\"id\":9}")).hasValue(9);
    assertThat(idOfFailure("{\"kind\":\"request\",\"type\":\"stop\",\"id\":\"1\"}")).isEmpty();
    assertThat(idOfFailure("{\"kind\":\"request\",\"type\":\"reboot\"}")).isEmpty();
    assertThat(idOfFailure("{\"kind\":\"request\",\"id\":5,")).isEmpty();
  }

  @Test
  void decodeRequestRefusesOtherKindsKeepingTheId() {
    CodecException e =
        catchThrowableOfType(
            CodecException.class,
            () -> MessageCodec.decodeRequest(utf8("{\"kind\":\"response\",\"ok\":true,\"id\":3}")));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.requestId()).hasValue(3);
    assertThat(e).hasMessage("Expected a request, got a response.");
    assertThat(MessageCodec.decodeRequest(utf8("{\"kind\":\"request\",\"type\":\"stop\"}")))
        .isEqualTo(new Request.Stop());
  }

  private static OptionalLong idOfFailure(String json) {
    CodecException e = catchThrowableOfType(CodecException.class, () -> decode(json));
    assertThat(e).as(json).isNotNull();
    return e.requestId();
  }

  // ------------------------------------------------------------------ unpaired surrogates

  @Test
  void encodingReplacesUnpairedSurrogatesWithTheReplacementCharacter() {
    String broken = "a\ud800b\udc00c\ud83d";
    byte[] json = MessageCodec.encode(new Event.Failed(broken));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"kind\":\"event\",\"type\":\"error\",\"message\":\"a\ufffdb\ufffdc\ufffd\"}");
    assertThat(((Event.Failed) MessageCodec.decode(json)).message())
        .isEqualTo("a\ufffdb\ufffdc\ufffd");
  }

  @Test
  void encodingReplacesUnpairedSurrogatesInsideJsonTrees() throws Exception {
    ObjectNode data = JSON.createObjectNode();
    data.putArray("k\udfff").add("x\ud800");
    byte[] json = MessageCodec.encode(Response.success(data));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"kind\":\"response\",\"ok\":true,\"data\":{\"k\ufffd\":[\"x\ufffd\"]}}");
  }

  @Test
  void everyScalarKindInATreeIsWrittenAsTheMapperWritesIt() throws Exception {
    ObjectNode data = JSON.createObjectNode();
    data.put("int", -7)
        .put("long", 1L << 40)
        .put("big", new java.math.BigInteger("123456789012345678901234567890"))
        .put("float", 1.5f)
        .put("double", -2.25e-3)
        .put("decimal", new java.math.BigDecimal("10.500"))
        .put("short", (short) 3)
        .put("true", true)
        .put("false", false)
        .putNull("null");
    data.putArray("nested").add(0).add(0.1).addNull().add(false);
    byte[] json = MessageCodec.encode(Response.success(data));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"kind\":\"response\",\"ok\":true,\"data\":" + JSON.writeValueAsString(data) + "}");
  }

  @Test
  void encodingWritesSupplementaryCharactersAsFourByteUtf8() {
    byte[] json = MessageCodec.encode(new Event.Failed("\ud83d\ude80"));
    byte[] rocket = {(byte) 0xf0, (byte) 0x9f, (byte) 0x9a, (byte) 0x80};
    assertThat(new String(json, StandardCharsets.ISO_8859_1))
        .contains(new String(rocket, StandardCharsets.ISO_8859_1))
        .doesNotContain("\\u");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"kind\":\"event\",\"type\":\"error\",\"message\":\"x\\ud800\"}|message contains an"
            + " unpaired",
        "{\"kind\":\"event\",\"type\":\"error\",\"message\":\"\\udc00x\"}|message contains an"
            + " unpaired",
        "{\"kind\":\"event\",\"type\":\"error\",\"message\":\"\\ude80\\ud83d\"}|message contains an"
            + " unpaired",
        "{\"kind\":\"response\",\"ok\":true,\"data\":{\"a\":[\"\\ud800\"]}}|data.a[0] contains an"
            + " unpaired",
      })
  void decodingRejectsUnpairedSurrogateEscapes(String json, String expected) {
    CodecException e = catchThrowableOfType(CodecException.class, () -> decode(json));
    assertThat(e).as(json).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e).hasMessageContaining(expected);
  }

  @Test
  void decodingAcceptsEscapedSurrogatePairs() {
    Event.Failed failed =
        (Event.Failed)
            decode("{\"kind\":\"event\",\"type\":\"error\",\"message\":\"\\ud83d\\ude80\"}");
    assertThat(failed.message()).isEqualTo("\ud83d\ude80");
  }

  @Test
  void theIdOfARequestWithAnUnpairedSurrogateIsKnown() {
    assertThat(
            idOfFailure(
                "{\"kind\":\"request\",\"type\":\"start\",\"id\":6,"
                    + "\"config\":{\"serviceLabel\":\"\\ud800\"}}"))
        .hasValue(6);
  }

  @Test
  void aRawUtf8EncodedSurrogateIsMalformed() {
    byte[] json = utf8("{\"kind\":\"event\",\"type\":\"error\",\"message\":\"AAA\"}");
    json[json.length - 5] = (byte) 0xed;
    json[json.length - 4] = (byte) 0xa0;
    json[json.length - 3] = (byte) 0x80;
    CodecException e = catchThrowableOfType(CodecException.class, () -> MessageCodec.decode(json));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void anUnpairedSurrogateEscapeInAFieldNameIsMalformed() {
    CodecException e =
        catchThrowableOfType(
            CodecException.class,
            () -> decode("{\"kind\":\"request\",\"type\":\"stop\",\"x\\ud800\":1}"));
    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
  }

  // ------------------------------------------------------------------ values

  @Test
  void responseDataIsCopiedInAndOut() {
    ObjectNode data = JSON.createObjectNode().put("running", true);
    Response response = Response.success(data);
    data.put("running", false);
    ((ObjectNode) response.data().orElseThrow()).put("running", false);
    assertThat(response.data().orElseThrow().get("running").booleanValue()).isTrue();
  }

  @Test
  void failedResponsesBecomeTheMatchingExceptions() {
    assertThat(Response.failure(ErrorCode.NOT_RUNNING, "Service is not running").toException())
        .isInstanceOf(NotRunningException.class);
    Response base =
        new Response(
            OptionalLong.empty(),
            false,
            Optional.empty(),
            Optional.of(AlreadyRunningException.MESSAGE),
            Optional.empty());
    assertThat(base.toException()).isInstanceOf(AlreadyRunningException.class);
    assertThat(
            new Response(
                    OptionalLong.empty(),
                    false,
                    Optional.empty(),
                    Optional.of("boom"),
                    Optional.empty())
                .toException()
                .code())
        .isEqualTo(ErrorCode.INTERNAL);
    assertThatThrownBy(() -> Response.success().toException())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void wireEventsConvertToServiceEventsAndBack() throws Exception {
    for (Message message : everyMessage().toList()) {
      if (!(message instanceof Event)) {
        continue;
      }
      Event event = (Event) message;
      Optional<ServiceEvent> converted = EventConversions.toServiceEvent(event, 555);
      if (event instanceof Event.Overflow) {
        assertThat(converted).isEmpty();
        continue;
      }
      ServiceEvent serviceEvent = converted.orElseThrow();
      assertThat(serviceEvent.type()).isEqualTo(event.type());
      assertThat(serviceEvent.seq()).isEqualTo(event.seq().orElse(0));
      assertThat(serviceEvent.timestampMs()).isEqualTo(event.ts().orElse(555));
      Event back = EventConversions.toWire(serviceEvent);
      assertThat(back.unnumbered()).isEqualTo(event.unnumbered());
      if (event.seq().isPresent()) {
        assertThat(back).isEqualTo(event);
      }
    }
  }

  @Test
  void resyncCarriesTheLifecycleStatus() {
    Event.Resync resync =
        (Event.Resync) MessageCodec.decode(MessageCodec.encode(new Event.Resync(status())));
    assertThat(resync.status()).isEqualTo(status());
    ServiceEvent.Resync converted =
        (ServiceEvent.Resync) EventConversions.toServiceEvent(resync, 1).orElseThrow();
    assertThat(converted.status()).isEqualTo(status());
  }

  // ------------------------------------------------------------------ helpers

  private static Message decode(String json) {
    return MessageCodec.decode(utf8(json));
  }

  static LifecycleStatus status() {
    return new LifecycleStatus(
        StatusState.RUNNING,
        true,
        true,
        false,
        Optional.empty(),
        Optional.of(new StartConfig("Syncing", null, null)),
        Optional.of("earlier failure"),
        "linux",
        new PlatformCapabilities(
            "linux",
            LifecycleMode.DESKTOP_OS_SERVICE,
            Support.GUARANTEED,
            Support.BEST_EFFORT,
            Support.BEST_EFFORT,
            Support.GUARANTEED,
            List.of("needs lingering"),
            List.of()),
        List.of(
            new SetupIssue(
                "linger", "Lingering is off", "linux", Severity.WARNING, Optional.of("loginctl"))));
  }
}
