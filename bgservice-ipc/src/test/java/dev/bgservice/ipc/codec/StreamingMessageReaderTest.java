package dev.bgservice.ipc.codec;

import static dev.bgservice.ipc.codec.VectorsTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming reader agrees with the tree reader: whatever it decodes, the tree path decodes to
 * the same message; whatever the tree path rejects, it leaves alone. And it does take the common
 * messages, or it would be no faster.
 */
class StreamingMessageReaderTest {

  /** Checks the one property that matters and returns what the streaming reader made of it. */
  private static Optional<Message> agrees(byte[] json) {
    Optional<Message> streamed = MessageCodec.decodeStreamed(json);
    Message tree;
    try {
      tree = MessageCodec.decodeTree(json, 0, json.length);
    } catch (CodecException e) {
      assertThat(streamed).as("streamed although the tree path rejects: %s", e.getMessage())
          .isEmpty();
      return streamed;
    }
    streamed.ifPresent(message -> assertThat(message).isEqualTo(tree));
    assertThat(MessageCodec.decode(json)).isEqualTo(tree);
    return streamed;
  }

  static Stream<Message> commonMessages() throws Exception {
    return MessageCodecTest.everyMessage()
        .filter(
            m ->
                !(m instanceof Request.Start
                    || m instanceof Request.EnableAutoRestart
                    || m instanceof Event.Resync));
  }

  @ParameterizedTest
  @MethodSource("commonMessages")
  void commonMessagesAreStreamed(Message message) {
    assertThat(agrees(MessageCodec.encode(message))).contains(message);
  }

  @ParameterizedTest
  @MethodSource("dev.bgservice.ipc.codec.MessageCodecTest#everyMessage")
  void everyMessageDecodesAlike(Message message) {
    agrees(MessageCodec.encode(message));
  }

  @Test
  void everyWireVectorDecodesAlike() throws Exception {
    JsonNode vectors = VectorsTest.vectors();
    int cases = 0;
    for (String group : List.of("accept", "reject")) {
      for (JsonNode c : vectors.get(group)) {
        agrees(utf8(c.get("json").asText()));
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(30);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Left to the tree path, which accepts or names the problem.
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"name\":\"m\"}",
        "{\"kind\":\"event\",\"kind\":null,\"type\":\"service\",\"name\":\"n\"}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"x\":1,\"x\":2}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"payload\":{\"a\":1,\"a\":1}}",
        "{\"kind\":\"response\",\"ok\":true,\"data\":[{\"a\":{\"b\":1,\"b\":null}}]}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\"} {}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"\\ud800\"}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"payload\":[\"\\udc00\"]}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"extra\":{\"x\":\"\\ud800\"}}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"extra\":\"\\ud800\"}",
        "{\"kind\":\"event\",\"type\":\"service\",\"seq\":1.0,\"name\":\"n\"}",
        "{\"kind\":\"event\",\"type\":\"service\",\"seq\":9223372036854775808,\"name\":\"n\"}",
        "{\"kind\":\"event\",\"type\":\"stopped\"}",
        "{\"kind\":\"event\",\"type\":\"resync\",\"status\":{}}",
        "{\"kind\":\"response\",\"ok\":null}",
        "{\"kind\":\"response\",\"ok\":true,\"code\":\" \"}",
        "{\"kind\":\"response\",\"ok\":true,\"id\":\"7\"}",
        "{\"kind\":\"request\",\"type\":\"stop\",\"timeoutMs\":-1}",
        "{\"kind\":\"request\",\"type\":\"hello\",\"version\":2147483648}",
        "{\"kind\":\"request\",\"type\":\"start\"}",
        "{\"kind\":\"request\"}",
        "{\"kind\":\"nothing\"}",
        "[1]",
        "{\"kind\":",
        // Taken by both, with the lenient parts the tree path has.
        "{\"type\":\"service\",\"payload\":null,\"kind\":\"event\",\"name\":\"n\",\"seq\":null}",
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"payload\":{\"a\":[1,2.5,"
            + "12345678901234567890,true,null,\"\\ud83d\\ude00\"]}}",
        "{\"kind\":\"response\",\"ok\":false,\"error\":\"x\",\"code\":\"made_up\",\"data\":null}",
        "{\"kind\":\"response\",\"ok\":true,\"data\":7,\"unknown\":[1,{\"a\":2}]}",
        "{\"kind\":\"request\",\"type\":\"hello\",\"id\":3,\"instance\":null,\"wait\":true}",
        "{\"kind\":\"event\",\"type\":\"stateChanged\",\"from\":\"a\",\"to\":\"b\",\"ok\":1}"
      })
  void edgeCasesDecodeAlike(String json) {
    agrees(utf8(json));
  }

  @Test
  void integersInAPayloadKeepTheNodeTypesOfTheTreePath() {
    String json =
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"payload\":"
            + "{\"a\":[1,-2147483648,2147483648,-9223372036854775808,9223372036854775808,"
            + "\"s\",true,false,null,{},[]]}}";
    Optional<Message> streamed = agrees(utf8(json));

    assertThat(streamed).isPresent();
    JsonNode items = ((Event.Custom) streamed.get()).payload().get("a");
    assertThat(items.get(0).isInt()).isTrue();
    assertThat(items.get(2).isLong()).isTrue();
    assertThat(items.get(4).isBigInteger()).isTrue();
  }

  @Test
  void deepPayloadsAreLeftToTheTreePath() {
    int depth = 200;
    String json =
        "{\"kind\":\"event\",\"type\":\"service\",\"name\":\"n\",\"payload\":"
            + "[".repeat(depth)
            + "]".repeat(depth)
            + "}";
    assertThat(agrees(utf8(json))).isEmpty();
    assertThat(MessageCodec.decode(utf8(json))).isInstanceOf(Event.Custom.class);
  }

  @Test
  void manyUnknownFieldsAreLeftToTheTreePath() {
    StringBuilder json = new StringBuilder("{\"kind\":\"event\",\"type\":\"started\"");
    for (int i = 0; i < 10_000; i++) {
      json.append(",\"f").append(i).append("\":").append(i);
    }
    json.append('}');
    assertThat(agrees(utf8(json.toString()))).isEmpty();
    assertThat(MessageCodec.decode(utf8(json.toString()))).isEqualTo(new Event.Started());
  }

  /**
   * Random objects built from the protocol's field names and from values of every JSON type,
   * valid and not, with duplicates and trailing data now and then. Seeded: a failure repeats.
   */
  @Test
  void randomMessagesDecodeAlike() {
    Random random = new Random(20_251_121L);
    String[] kinds = {"\"event\"", "\"response\"", "\"request\"", "\"other\"", "null", "1"};
    String[] types = {
      "\"started\"", "\"stopped\"", "\"error\"", "\"stateChanged\"", "\"service\"",
      "\"shuttingDown\"", "\"overflow\"", "\"resync\"", "\"stop\"", "\"isRunning\"",
      "\"getState\"", "\"disableAutoRestart\"", "\"getDesiredState\"", "\"validateSetup\"",
      "\"getLifecycleStatus\"", "\"hello\"", "\"start\"", "\"nope\"", "null", "true"
    };
    String[] fields = {
      "id", "seq", "ts", "ok", "data", "error", "code", "name", "payload", "reason", "message",
      "from", "to", "timeoutMs", "version", "instance", "resumeAfter", "wait", "extra", "status"
    };
    String[] values = {
      "0", "1", "-1", "42", "2147483648", "9223372036854775807", "9223372036854775808", "1.5",
      "1e3", "true", "false", "null", "\"text\"", "\"\"", "\" \"", "\"\\ud800\"",
      "\"\\ud83d\\ude00\"", "{}", "{\"n\":1}", "{\"a\":[1,\"x\",null,{\"b\":false}]}",
      "{\"s\":\"\\udfff\"}", "[]", "[1,2]", "\"already_running\"", "{\"n\":1,\"n\":2}"
    };
    int streamed = 0;
    int total = 20_000;
    for (int i = 0; i < total; i++) {
      List<String> members = new ArrayList<>();
      if (random.nextInt(10) > 0) {
        members.add("\"kind\":" + pick(random, kinds, 0.8));
      }
      if (random.nextInt(10) > 0) {
        members.add("\"type\":" + pick(random, types, 0.0));
      }
      int extra = random.nextInt(5);
      for (int f = 0; f < extra; f++) {
        members.add("\"" + pick(random, fields, 0.0) + "\":" + pick(random, values, 0.0));
      }
      if (random.nextInt(4) == 0) {
        members.add("\"ok\":" + (random.nextBoolean() ? "true" : "false"));
      }
      java.util.Collections.shuffle(members, random);
      String json = "{" + String.join(",", members) + "}";
      if (random.nextInt(50) == 0) {
        json += random.nextBoolean() ? " {}" : " x";
      }
      if (agrees(utf8(json)).isPresent()) {
        streamed++;
      }
    }
    // Enough of them valid that the streaming side is exercised, not only its giving up.
    assertThat(streamed).isGreaterThan(total / 20);
  }

  /** A random element; with probability {@code firstBias} the first one. */
  private static String pick(Random random, String[] from, double firstBias) {
    if (random.nextDouble() < firstBias) {
      return from[random.nextInt(3)];
    }
    return from[random.nextInt(from.length)];
  }
}
