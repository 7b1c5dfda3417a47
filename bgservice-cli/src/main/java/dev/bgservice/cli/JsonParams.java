package dev.bgservice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;

/** Parses {@code --params}: a JSON object, e.g. {@code '{"intervalMs":200}'}. */
final class JsonParams implements CommandLine.ITypeConverter<ObjectNode> {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Override
  public ObjectNode convert(String value) {
    JsonNode node;
    try {
      node = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      throw new CommandLine.TypeConversionException(
          "--params is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new CommandLine.TypeConversionException(
          "--params must be a JSON object, e.g. '{\"intervalMs\":200}'");
    }
    return (ObjectNode) node;
  }
}
