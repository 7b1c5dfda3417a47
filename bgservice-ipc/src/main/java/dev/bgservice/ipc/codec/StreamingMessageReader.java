package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes the messages that make up nearly all traffic (events other than {@code resync},
 * responses, requests without a {@code config}) straight from the parser's tokens, without first
 * building a tree of the whole object: about half the cost of the tree path.
 *
 * <p>It decides only what it is sure of. Anything it does not handle or finds wrong (an unknown
 * type, a missing field, a field of another type, an unpaired surrogate, a duplicate key, trailing
 * data, invalid JSON) makes it give up, and {@link MessageCodec} decodes the frame again through
 * {@link MessageReader}, which accepts it or names the problem. So whatever this reader returns is
 * what the tree path returns for the same bytes, and every error comes from the tree path.
 */
final class StreamingMessageReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Deeper subtrees go to the tree path, which does not recurse. */
  private static final int MAX_DEPTH = 64;

  /** Messages with more fields this reader does not know go to the tree path. */
  private static final int MAX_OTHER_FIELDS = 8;

  private final JsonFactory factory;

  /**
   * A reader parsing with {@code factory}: the tree path's, except that it need not detect
   * duplicate keys (this reader does).
   */
  StreamingMessageReader(JsonFactory factory) {
    this.factory = factory;
  }

  /** The fields of one message as read; absent (or JSON {@code null}) fields stay null. */
  private static final class Fields {
    String kind;
    String type;
    Long id;
    Long seq;
    Long ts;
    Boolean ok;
    JsonNode data;
    String error;
    String code;
    String name;
    JsonNode payload;
    String reason;
    String message;
    String from;
    String to;
    Long timeoutMs;
    Long version;
    String instance;
    Long resumeAfter;

    /** The known fields seen so far, one bit each. */
    private int seen;
    /** The other fields seen so far; most messages have none. */
    private List<String> others;

    /**
     * Notes known field number {@code bit}; a second one is left to the tree path, which rejects
     * duplicate keys. (The streaming parser does not look for them: that costs a set per object.)
     */
    void once(int bit) throws GiveUp {
      int mask = 1 << bit;
      if ((seen & mask) != 0) {
        throw GiveUp.INSTANCE;
      }
      seen |= mask;
    }

    /**
     * Notes another field; a second one of the same name, or more than a few of them (the list is
     * searched linearly), is left to the tree path.
     */
    void onceOther(String name) throws GiveUp {
      if (others == null) {
        others = new ArrayList<>(2);
      } else if (others.size() >= MAX_OTHER_FIELDS || others.contains(name)) {
        throw GiveUp.INSTANCE;
      }
      others.add(name);
    }
  }

  /** Thrown to give the frame to the tree path; carries no stack trace, it is not an error. */
  private static final class GiveUp extends Exception {
    private static final long serialVersionUID = 1L;
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super("not for the streaming reader", null, false, false);
    }
  }

  /**
   * The message in {@code length} bytes of {@code json} from {@code offset}, or empty when the tree
   * path must decide.
   */
  Optional<Message> read(byte[] json, int offset, int length) {
    try (JsonParser parser = factory.createParser(json, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      Fields fields = new Fields();
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        read(parser, field, fields);
      }
      if (parser.nextToken() != null) {
        return Optional.empty(); // trailing data
      }
      return Optional.ofNullable(build(fields));
    } catch (GiveUp | IOException | IllegalArgumentException e) {
      // IOException covers invalid JSON; IllegalArgumentException a value a constructor refused.
      // The tree path reports either precisely.
      return Optional.empty();
    }
  }

  /** Reads the value of {@code field}; each known field has its own bit for {@link Fields#once}. */
  private void read(JsonParser p, String field, Fields f) throws IOException, GiveUp {
    JsonToken token = p.nextToken();
    switch (field) {
      case "kind":
        f.once(0);
        f.kind = text(p, token);
        break;
      case "type":
        f.once(1);
        f.type = text(p, token);
        break;
      case "id":
        f.once(2);
        f.id = integer(p, token);
        break;
      case "seq":
        f.once(3);
        f.seq = integer(p, token);
        break;
      case "ts":
        f.once(4);
        f.ts = integer(p, token);
        break;
      case "ok":
        f.once(5);
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw GiveUp.INSTANCE;
        }
        f.ok = token == JsonToken.VALUE_TRUE;
        break;
      case "data":
        f.once(6);
        f.data = tree(p, token);
        break;
      case "error":
        f.once(7);
        f.error = text(p, token);
        break;
      case "code":
        f.once(8);
        f.code = text(p, token);
        break;
      case "name":
        f.once(9);
        f.name = text(p, token);
        break;
      case "payload":
        f.once(10);
        f.payload = tree(p, token);
        break;
      case "reason":
        f.once(11);
        f.reason = text(p, token);
        break;
      case "message":
        f.once(12);
        f.message = text(p, token);
        break;
      case "from":
        f.once(13);
        f.from = text(p, token);
        break;
      case "to":
        f.once(14);
        f.to = text(p, token);
        break;
      case "timeoutMs":
        f.once(15);
        f.timeoutMs = integer(p, token);
        break;
      case "version":
        f.once(16);
        f.version = integer(p, token);
        break;
      case "instance":
        f.once(17);
        f.instance = text(p, token);
        break;
      case "resumeAfter":
        f.once(18);
        f.resumeAfter = integer(p, token);
        break;
      default:
        f.onceOther(field);
        ignored(p, token);
    }
  }

  /** A string or null field; a string with an unpaired surrogate is left to the tree path. */
  private static String text(JsonParser p, JsonToken token) throws IOException, GiveUp {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw GiveUp.INSTANCE;
    }
    String text = p.getText();
    if (Utf16.firstUnpairedSurrogate(text) >= 0) {
      throw GiveUp.INSTANCE;
    }
    return text;
  }

  /** An integer that fits a long, or null; anything else is left to the tree path. */
  private static Long integer(JsonParser p, JsonToken token) throws IOException, GiveUp {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw GiveUp.INSTANCE;
    }
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw GiveUp.INSTANCE;
    }
    return p.getLongValue();
  }

  /** Any value as a tree, or null for JSON null. */
  private static JsonNode tree(JsonParser p, JsonToken token) throws IOException, GiveUp {
    return token == JsonToken.VALUE_NULL ? null : node(p, token, 0);
  }

  /**
   * The value starting at {@code token}, built as Jackson's tree deserializer builds it (which the
   * tests check): integers as int, long or big-integer nodes by size. Floating-point numbers, whose
   * node type depends on configuration, and deep nesting are left to the tree path.
   */
  private static JsonNode node(JsonParser p, JsonToken token, int depth)
      throws IOException, GiveUp {
    switch (token) {
      case START_OBJECT:
        {
          if (depth >= MAX_DEPTH) {
            throw GiveUp.INSTANCE;
          }
          ObjectNode object = NODES.objectNode();
          for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            if (object.replace(name, node(p, p.nextToken(), depth + 1)) != null) {
              throw GiveUp.INSTANCE; // a duplicate key: the tree path rejects it
            }
          }
          return object;
        }
      case START_ARRAY:
        {
          if (depth >= MAX_DEPTH) {
            throw GiveUp.INSTANCE;
          }
          ArrayNode array = NODES.arrayNode();
          for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
            array.add(node(p, item, depth + 1));
          }
          return array;
        }
      case VALUE_STRING:
        return NODES.textNode(text(p, token));
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_TRUE:
        return BooleanNode.TRUE;
      case VALUE_FALSE:
        return BooleanNode.FALSE;
      case VALUE_NULL:
        return NullNode.getInstance();
      default:
        throw GiveUp.INSTANCE;
    }
  }

  /**
   * A field no message reads: skipped, as the tree path ignores it, unless its strings would need
   * checking (the tree path rejects unpaired surrogates anywhere).
   */
  private static void ignored(JsonParser p, JsonToken token) throws IOException, GiveUp {
    if (token.isStructStart()) {
      throw GiveUp.INSTANCE;
    }
    if (token == JsonToken.VALUE_STRING) {
      text(p, token);
    }
  }

  /** The message the fields make, or null when the tree path must decide. */
  private static Message build(Fields f) throws GiveUp {
    if (f.kind == null) {
      return null;
    }
    switch (f.kind) {
      case "event":
        return f.type == null ? null : event(f);
      case "response":
        return response(f);
      case "request":
        return f.type == null ? null : request(f);
      default:
        return null;
    }
  }

  private static Event event(Fields f) throws GiveUp {
    OptionalLong seq = optional(f.seq);
    OptionalLong ts = optional(f.ts);
    switch (f.type) {
      case "started":
        return new Event.Started(seq, ts);
      case "stopped":
        return new Event.Stopped(seq, ts, required(f.reason));
      case "error":
        return new Event.Failed(seq, ts, required(f.message));
      case "stateChanged":
        return new Event.StateChanged(seq, ts, required(f.from), required(f.to));
      case "service":
        return new Event.Custom(seq, ts, required(f.name), f.payload);
      case "shuttingDown":
        return new Event.ShuttingDown(seq, ts);
      case "overflow":
        return new Event.Overflow(seq, ts);
      default:
        return null; // resync (a status to read) or unknown
    }
  }

  private static Response response(Fields f) throws GiveUp {
    if (f.ok == null || (f.code != null && f.code.isBlank())) {
      return null;
    }
    return new Response(
        optional(f.id),
        f.ok,
        Optional.ofNullable(f.data),
        Optional.ofNullable(f.error),
        f.code == null ? Optional.empty() : Optional.of(ErrorCode.of(f.code)));
  }

  private static Request request(Fields f) throws GiveUp {
    OptionalLong id = optional(f.id);
    Optional<Request> bare = MessageReader.idOnly(f.type, id);
    if (bare.isPresent()) {
      return bare.get();
    }
    switch (f.type) {
      case "stop":
        return new Request.Stop(id, nonNegative(f.timeoutMs));
      case "hello":
        {
          OptionalLong version = nonNegative(f.version);
          if (version.orElse(0) > Integer.MAX_VALUE) {
            throw GiveUp.INSTANCE;
          }
          return new Request.Hello(
              id,
              (int) version.orElse(0),
              Optional.ofNullable(f.instance),
              nonNegative(f.resumeAfter));
        }
      default:
        return null; // start and enableAutoRestart (a config to read), or unknown
    }
  }

  private static String required(String value) throws GiveUp {
    if (value == null) {
      throw GiveUp.INSTANCE;
    }
    return value;
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private static OptionalLong nonNegative(Long value) throws GiveUp {
    if (value != null && value < 0) {
      throw GiveUp.INSTANCE;
    }
    return optional(value);
  }
}
