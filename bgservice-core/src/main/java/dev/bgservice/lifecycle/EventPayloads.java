package dev.bgservice.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the payload a service emits into the JSON its listeners get: a copy of a {@code JsonNode},
 * {@code null} for none, anything else as Jackson's {@code valueToTree} converts it. The flat maps
 * most services emit ({@code Map.of("files", 3)}) are built directly, which gives the same tree for
 * a fraction of the cost: an emit may happen many thousand times a second.
 */
final class EventPayloads {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EventPayloads() {}

  /**
   * The payload as JSON, never sharing a node with the caller.
   *
   * @throws IllegalArgumentException if Jackson cannot convert it
   */
  static JsonNode toJson(Object payload) {
    if (payload == null) {
      return NullNode.getInstance();
    }
    if (payload instanceof JsonNode json) {
      return json.deepCopy();
    }
    if (payload instanceof Map<?, ?> map) {
      Optional<ObjectNode> flat = flatMap(map);
      if (flat.isPresent()) {
        return flat.get();
      }
    }
    return MAPPER.valueToTree(payload);
  }

  /**
   * The map as an object, if all its keys are strings and all its values are of the simple types
   * whose nodes are certain to match Jackson's: strings, ints, longs, doubles, booleans, nulls.
   */
  private static Optional<ObjectNode> flatMap(Map<?, ?> map) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String) || !isSimple(entry.getValue())) {
        return Optional.empty();
      }
    }
    ObjectNode object = NODES.objectNode();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      object.set((String) entry.getKey(), simpleNode(entry.getValue()));
    }
    return Optional.of(object);
  }

  private static boolean isSimple(Object value) {
    return value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean;
  }

  /** The node of a value for which {@link #isSimple} holds. */
  private static JsonNode simpleNode(Object value) {
    if (value instanceof String text) {
      return TextNode.valueOf(text);
    } else if (value instanceof Integer number) {
      return IntNode.valueOf(number);
    } else if (value instanceof Long number) {
      return LongNode.valueOf(number);
    } else if (value instanceof Double number) {
      return DoubleNode.valueOf(number);
    } else if (value instanceof Boolean flag) {
      return BooleanNode.valueOf(flag);
    }
    return NullNode.getInstance();
  }
}
