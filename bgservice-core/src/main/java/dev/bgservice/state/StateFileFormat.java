package dev.bgservice.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.StatusJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The bytes of a state file: the A.6 DesiredState object plus {@code "schemaVersion"}. A file
 * without a schema version is read as version 1, so a hand-written or older file still works.
 */
final class StateFileFormat {
  /** The schema version this code writes and fully understands. */
  static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private StateFileFormat() {}

  /** The file contents for {@code state}: pretty-printed UTF-8 JSON ending in a newline. */
  static byte[] encode(DesiredState state) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.setAll(StatusJson.toJson(state));
    try {
      return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes cannot fail to serialise", e);
    }
  }

  /**
   * Reads file contents.
   *
   * @throws CorruptStateException if the bytes are not a state file this or a newer version
   *     could have written
   */
  static Decoded decode(byte[] bytes) throws CorruptStateException {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new CorruptStateException("it is not valid JSON (" + firstLine(e) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new CorruptStateException("it is empty");
    }
    if (!root.isObject()) {
      throw new CorruptStateException("it is not a JSON object");
    }
    int version = schemaVersion((ObjectNode) root);
    try {
      JsonNode attempts = root.get("restartAttempt");
      if (attempts != null && attempts.isIntegralNumber() && !attempts.canConvertToInt()) {
        throw new IllegalArgumentException("desiredState.restartAttempt is out of range");
      }
      return new Decoded(version, Optional.of(StatusJson.desiredState(root)));
    } catch (IllegalArgumentException e) {
      if (version > SCHEMA_VERSION) {
        // A newer schema may have changed a field we know; that is not corruption.
        return new Decoded(version, Optional.empty());
      }
      throw new CorruptStateException(e.getMessage());
    }
  }

  private static int schemaVersion(ObjectNode root) throws CorruptStateException {
    JsonNode version = root.get("schemaVersion");
    if (version == null || version.isNull()) {
      return SCHEMA_VERSION;
    }
    if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
      throw new CorruptStateException("schemaVersion must be a positive integer");
    }
    return version.intValue();
  }

  private static String firstLine(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * A decoded file.
   *
   * @param schemaVersion the file's schema version
   * @param state the state; empty only for a newer schema whose known fields do not parse
   */
  record Decoded(int schemaVersion, Optional<DesiredState> state) {
    boolean isNewer() {
      return schemaVersion > SCHEMA_VERSION;
    }
  }

  /** The bytes are not a state file; the message says why, for a person. */
  static final class CorruptStateException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptStateException(String reason) {
      super(reason);
    }
  }
}
