package dev.bgservice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPayloadsTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void mapsGiveExactlyTheTreeJacksonGives() {
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("z", 1);
    ordered.put("a", Long.MAX_VALUE);
    ordered.put("text", "h\u00e9llo \ud83d\ude00 \"quoted\"\n");
    ordered.put("nothing", null);
    ordered.put("yes", true);
    ordered.put("ratio", 0.1);
    ordered.put("nan", Double.NaN);
    ordered.put("small", 5L);
    Map<Object, Object> numberKeys = new HashMap<>();
    numberKeys.put(1, "one");
    List<Object> payloads =
        Arrays.asList(
            Map.of(),
            Map.of("n", 1L),
            Map.of("n", 7, "name", "file.txt", "done", false),
            ordered,
            // Not flat: left to Jackson, which the result must still match.
            Map.of("nested", Map.of("n", 1)),
            Map.of("list", List.of(1, 2)),
            Map.of("short", (short) 3, "float", 1.5f, "big", new BigDecimal("1.50")),
            numberKeys,
            List.of(1, "two"),
            "text",
            42,
            new Point(1, 2));
    for (Object payload : payloads) {
      JsonNode expected = JACKSON.valueToTree(payload);
      JsonNode actual = EventPayloads.toJson(payload);
      assertThat(actual).as("payload %s", payload).isEqualTo(expected);
      assertSameNodeTypes(actual, expected);
    }
  }

  @Test
  void keyOrderIsTheMapsOwn() {
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : List.of("c", "a", "b")) {
      ordered.put(key, key);
    }
    Iterator<String> names = EventPayloads.toJson(ordered).fieldNames();
    assertThat(names).toIterable().containsExactly("c", "a", "b");
  }

  @Test
  void aJsonPayloadIsCopiedAndNullIsJsonNull() {
    ObjectNode original = JsonNodeFactory.instance.objectNode().put("n", 1);
    JsonNode copy = EventPayloads.toJson(original);
    original.put("n", 2);

    assertThat(copy.get("n").intValue()).isEqualTo(1);
    assertThat(EventPayloads.toJson(null).isNull()).isTrue();
  }

  @Test
  void whatJacksonCannotConvertIsRefusedAsJacksonRefusesIt() {
    assertThatThrownBy(() -> EventPayloads.toJson(new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventPayloads.toJson(Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Equal trees may still differ in node types (an int node against a long node of 5). */
  private static void assertSameNodeTypes(JsonNode actual, JsonNode expected) {
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    if (expected.isContainerNode()) {
      for (int i = 0; i < expected.size(); i++) {
        JsonNode child = expected.isArray() ? expected.get(i) : null;
        if (child != null) {
          assertSameNodeTypes(actual.get(i), child);
        }
      }
      expected
          .fieldNames()
          .forEachRemaining(name -> assertSameNodeTypes(actual.get(name), expected.get(name)));
    }
  }

  /** A record payload, converted by Jackson as a bean. */
  record Point(int x, int y) {}
}
