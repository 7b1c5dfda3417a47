package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads and writes {@link Message}s as the JSON of PROTOCOL.md. Thread-safe and stateless.
 *
 * <p><b>Writing</b> is compact JSON with {@code kind} first, then {@code type} (requests and
 * events), then {@code id} or {@code seq}/{@code ts}, then the message's fields; absent optional
 * fields are omitted. Unpaired UTF-16 surrogates in strings are replaced by U+FFFD, because UTF-8
 * cannot carry them.
 *
 * <p><b>Reading</b> is strict about what the protocol defines and lenient about the rest: the frame
 * must be exactly one JSON object (no trailing data, no duplicate keys) with a known {@code kind}
 * and {@code type} and fields of the right types; unknown fields are ignored and a {@code null}
 * optional field counts as absent. Failures are {@link CodecException}s with code {@code
 * malformed_frame} (not one JSON object) or {@code invalid_request} (an object that is not a valid
 * message, including strings with unpaired surrogates), and the message's {@code id} when it could
 * be read. Common messages are read straight from the parser's tokens; the rest, and every frame
 * that fails, through a tree of the whole object (see {@link StreamingMessageReader}).
 */
public final class MessageCodec {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // Characters outside the BMP as 4-byte UTF-8, not as escaped surrogate pairs.
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final StreamingMessageReader STREAMING =
      new StreamingMessageReader(
          FACTORY.rebuild().disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private MessageCodec() {}

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes one frame payload.
   *
   * @throws CodecException with code {@code malformed_frame} or {@code invalid_request}
   */
  public static Message decode(byte[] json) {
    return decode(json, 0, json.length);
  }

  /**
   * Decodes {@code length} bytes of {@code json} from {@code offset}.
   *
   * @throws CodecException with code {@code malformed_frame} or {@code invalid_request}
   */
  public static Message decode(byte[] json, int offset, int length) {
    Optional<Message> streamed = STREAMING.read(json, offset, length);
    if (streamed.isPresent()) {
      return streamed.get();
    }
    return decodeTree(json, offset, length);
  }

  /** What the streaming reader alone makes of a payload: empty where it defers; for tests. */
  static Optional<Message> decodeStreamed(byte[] json) {
    return STREAMING.read(json, 0, json.length);
  }

  /**
   * Decodes through a tree of the whole object: every message, and every error. {@link #decode}
   * comes here for whatever the streaming reader leaves; tests compare the two.
   */
  static Message decodeTree(byte[] json, int offset, int length) {
    ObjectNode object = parseObject(json, offset, length);
    OptionalLong id = readableId(object);
    try {
      if (hasUnpairedSurrogate(object)) {
        checkSurrogates(object, ""); // walks again, naming where it is
      }
      return MessageReader.read(object);
    } catch (IllegalArgumentException e) {
      throw CodecException.content(ErrorCode.INVALID_REQUEST, sentence(e.getMessage()), id, e);
    }
  }

  /**
   * Decodes a payload that must be a request, as a server reads them.
   *
   * @throws CodecException with code {@code malformed_frame} or {@code invalid_request}
   */
  public static Request decodeRequest(byte[] json) {
    Message message = decode(json);
    if (message instanceof Request) {
      return (Request) message;
    }
    OptionalLong id =
        message instanceof Response ? ((Response) message).id() : OptionalLong.empty();
    throw CodecException.content(
        ErrorCode.INVALID_REQUEST, "Expected a request, got a " + message.kind() + ".", id, null);
  }

  private static ObjectNode parseObject(byte[] json, int offset, int length) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json, offset, length);
    } catch (JsonProcessingException e) {
      throw CodecException.content(
          ErrorCode.MALFORMED_FRAME,
          "Frame is not valid JSON: " + sentence(e.getOriginalMessage()),
          OptionalLong.empty(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
    if (node == null || node.isMissingNode()) {
      throw CodecException.content(
          ErrorCode.MALFORMED_FRAME, "Frame holds no JSON value.", OptionalLong.empty(), null);
    }
    if (!node.isObject()) {
      throw CodecException.content(
          ErrorCode.MALFORMED_FRAME,
          "Frame must hold a JSON object, got " + nodeType(node) + ".",
          OptionalLong.empty(),
          null);
    }
    return (ObjectNode) node;
  }

  /** The object's {@code id} if it is an integer that fits a long, so errors can carry it. */
  private static OptionalLong readableId(ObjectNode object) {
    JsonNode id = object.get("id");
    return id != null && id.isIntegralNumber() && id.canConvertToLong()
        ? OptionalLong.of(id.longValue())
        : OptionalLong.empty();
  }

  /** Whether any string value in {@code node} holds an unpaired surrogate; builds nothing. */
  private static boolean hasUnpairedSurrogate(JsonNode node) {
    if (node.isTextual()) {
      return Utf16.firstUnpairedSurrogate(node.textValue()) >= 0;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (hasUnpairedSurrogate(child)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Rejects any string value holding an unpaired surrogate (JSON can carry one as an escape such as
   * backslash-u-D800), naming where it is. The parser itself already rejects them in field names
   * and as raw UTF-8 bytes.
   */
  private static void checkSurrogates(JsonNode node, String path) {
    if (node.isTextual()) {
      if (Utf16.firstUnpairedSurrogate(node.textValue()) >= 0) {
        throw new IllegalArgumentException(
            "Invalid message: "
                + (path.isEmpty() ? "a string" : path)
                + " contains an unpaired UTF-16 surrogate");
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        checkSurrogates(
            field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkSurrogates(node.get(i), path + "[" + i + "]");
      }
    }
  }

  // ---------------------------------------------------------------- encoding

  /**
   * The compact JSON of {@code message}, as UTF-8 bytes.
   *
   * @throws CodecException with code {@code frame_too_large} if it is above the frame limit
   */
  public static byte[] encode(Message message) {
    FrameBuffer out = new FrameBuffer(0);
    write(message, out);
    checkEncodedLength(out.size());
    return out.toByteArray();
  }

  /**
   * The complete frame of {@code message} (length prefix and JSON) in a new read-only buffer
   * positioned at 0. Encode once and write the same buffer to many clients: {@link
   * FrameWriter#writeFrame} leaves it unchanged, and others can take a {@link
   * ByteBuffer#duplicate()} each.
   *
   * @throws CodecException with code {@code frame_too_large} if it is above the frame limit
   */
  public static ByteBuffer encodeFrame(Message message) {
    FrameBuffer out = new FrameBuffer(Frames.HEADER_LENGTH);
    write(message, out);
    int payloadLength = out.size() - Frames.HEADER_LENGTH;
    checkEncodedLength(payloadLength);
    return out.toFrame(payloadLength);
  }

  private static void checkEncodedLength(int payloadLength) {
    if (payloadLength > Frames.MAX_PAYLOAD_LENGTH) {
      throw CodecException.content(
          ErrorCode.FRAME_TOO_LARGE,
          "The encoded message is "
              + payloadLength
              + " bytes, above the frame limit of "
              + Frames.MAX_PAYLOAD_LENGTH
              + " bytes.",
          OptionalLong.empty(),
          null);
    }
  }

  private static void write(Message message, ByteArrayOutputStream out) {
    try (JsonGenerator generator = MAPPER.createGenerator(out)) {
      MessageWriter.write(message, generator);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
  }

  // ---------------------------------------------------------------- helpers

  static String nodeType(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String sentence(String text) {
    // Parser messages may span lines; a user sees one sentence.
    String trimmed = text == null ? "unknown error" : text.strip().replaceAll("\\s+", " ");
    return trimmed.endsWith(".") ? trimmed : trimmed + ".";
  }

  /** A byte array stream that can reserve a header and hand out its buffer without copying. */
  private static final class FrameBuffer extends ByteArrayOutputStream {
    FrameBuffer(int reserved) {
      super(256);
      count = reserved;
    }

    ByteBuffer toFrame(int payloadLength) {
      ByteBuffer frame = ByteBuffer.wrap(buf, 0, count);
      frame.putInt(0, payloadLength);
      return frame.slice().asReadOnlyBuffer();
    }
  }
}
