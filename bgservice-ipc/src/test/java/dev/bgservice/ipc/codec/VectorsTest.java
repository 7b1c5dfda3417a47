package dev.bgservice.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every case of the shared wire vectors (PROTOCOL.md part A) against the codec. */
class VectorsTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  static JsonNode vectors() throws IOException {
    try (InputStream in = VectorsTest.class.getResourceAsStream("/protocol/vectors.json")) {
      assertThat(in).as("protocol/vectors.json on the test classpath").isNotNull();
      return PLAIN.readTree(in);
    }
  }

  @TestFactory
  Stream<DynamicTest> accept() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : vectors().get("accept")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> accepts(c)));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  private static void accepts(JsonNode c) {
    Message message = MessageCodec.decode(utf8(c.get("json").asText()));
    assertThat(message.kind()).isEqualTo(c.get("kind").asText());
    if (c.has("type")) {
      String type =
          message instanceof Request ? ((Request) message).type() : ((Event) message).type();
      assertThat(type).isEqualTo(c.get("type").asText());
    }
    for (Map.Entry<String, JsonNode> field : c.get("fields").properties()) {
      assertThat(field(message, field.getKey()))
          .as("field %s", field.getKey())
          .isEqualTo(field.getValue());
    }
    Message again = MessageCodec.decode(MessageCodec.encode(message));
    assertThat(again).isEqualTo(message);
  }

  /** The value of a field path the vectors name, read from the decoded message. */
  private static JsonNode field(Message message, String path) {
    Object value = null;
    if (message instanceof Request.Start && path.startsWith("config.")) {
      var config = ((Request.Start) message).config();
      value =
          path.equals("config.serviceLabel")
              ? config.serviceLabel()
              : path.equals("config.foregroundServiceType")
                  ? config.foregroundServiceType()
                  : fail(path);
    } else if (message instanceof Request.EnableAutoRestart) {
      var config = ((Request.EnableAutoRestart) message).config();
      if (path.equals("config")) {
        value = config.isPresent() ? config.get() : null;
      } else if (path.equals("config.serviceLabel")) {
        value = config.orElseThrow().serviceLabel();
      } else {
        fail("unknown path " + path);
      }
    } else if (message instanceof Request.Hello && path.equals("version")) {
      value = ((Request.Hello) message).version();
    } else if (message instanceof Response) {
      Response r = (Response) message;
      if (path.equals("ok")) {
        value = r.ok();
      } else if (path.equals("error")) {
        value = r.error().orElse(null);
      } else if (path.equals("code")) {
        value = r.code().map(ErrorCode::value).orElse(null);
      } else if (path.startsWith("data.")) {
        value = r.data().orElseThrow().get(path.substring("data.".length()));
      } else {
        fail("unknown path " + path);
      }
    } else if (message instanceof Event.Stopped && path.equals("reason")) {
      value = ((Event.Stopped) message).reason();
    } else if (message instanceof Event.Failed && path.equals("message")) {
      value = ((Event.Failed) message).message();
    } else {
      fail("the test does not know field " + path + " of " + message);
    }
    return value == null ? NullNode.getInstance() : PLAIN.valueToTree(value);
  }

  @TestFactory
  Stream<DynamicTest> reject() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : vectors().get("reject")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.get("name").asText(),
              () -> {
                String json = c.get("json").asText();
                CodecException e =
                    catchThrowableOfType(
                        CodecException.class, () -> MessageCodec.decode(utf8(json)));
                assertThat(e).as("rejected").isNotNull();
                // A JSON object that is not a message is invalid; anything else is malformed.
                assertThat(e.code())
                    .isEqualTo(
                        isJsonObject(json) ? ErrorCode.INVALID_REQUEST : ErrorCode.MALFORMED_FRAME);
                assertThat(e.framingIntact()).isTrue();
                assertThat(e.getMessage()).isNotBlank();
              }));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> frames() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : vectors().get("frames")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.get("name").asText(),
              () -> {
                byte[] frame = HexFormat.of().parseHex(c.get("hex").asText());
                byte[] json = utf8(c.get("json").asText());

                byte[] payload =
                    new FrameReader(Channels.source(frame, 3)).readFrame().orElseThrow();
                assertThat(payload).isEqualTo(json);

                Message message = MessageCodec.decode(payload);
                assertThat(bytes(MessageCodec.encodeFrame(message))).isEqualTo(frame);
                assertThat(MessageCodec.encode(message)).isEqualTo(json);
                assertThat(bytes(Frames.frame(json))).isEqualTo(frame);

                Channels.Sink sink = Channels.sink(5);
                new FrameWriter(sink).write(message);
                assertThat(sink.bytes()).isEqualTo(frame);
              }));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> frameRejects() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : vectors().get("frame_rejects")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.get("name").asText(),
              () -> {
                byte[] header = HexFormat.of().parseHex(c.get("hex").asText());
                // Plenty of payload behind the prefix: a reader that trusted it would read on.
                byte[] stream = new byte[header.length + 4 * FrameReader.BUFFER_SIZE];
                System.arraycopy(header, 0, stream, 0, header.length);
                Channels.Source source = Channels.source(stream, stream.length);
                FrameReader reader = new FrameReader(source);

                long before = allocatedBytes();
                CodecException e = catchThrowableOfType(CodecException.class, reader::readFrame);
                long allocated = allocatedBytes() - before;

                assertThat(e).as("rejected").isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
                assertThat(e.framingIntact()).isFalse();
                // It reads ahead one bufferful at most, whatever the prefix says.
                assertThat(source.consumed())
                    .as("bytes read")
                    .isLessThanOrEqualTo(FrameReader.BUFFER_SIZE);
                if (allocated >= 0) {
                  assertThat(allocated).as("bytes allocated").isLessThan(1024 * 1024);
                }
              }));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  /** Bytes allocated by this thread so far, or -1 when the JVM cannot tell. */
  private static long allocatedBytes() {
    var bean = ManagementFactory.getThreadMXBean();
    if (bean instanceof com.sun.management.ThreadMXBean) {
      var hotspot = (com.sun.management.ThreadMXBean) bean;
      if (hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled()) {
        return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
      }
    }
    return -1;
  }

  private static boolean isJsonObject(String json) {
    try {
      return PLAIN.readTree(json).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
