package dev.bgservice.os.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of a {@link LaunchSpec}, as kept by the detached backend:
 *
 * <pre>{@code
 * {"java": "...", "jvmOptions": [...], "classPath": [...], "mainClass": "..." | "jar": "...",
 *  "programArgs": [...], "workingDirectory"?: "...", "environment": {...},
 *  "stdoutLog"?: "...", "stderrLog"?: "..."}
 * }</pre>
 */
public final class LaunchSpecJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LaunchSpecJson() {}

  /** The spec as pretty-printed JSON text. */
  public static String write(LaunchSpec spec) {
    ObjectNode node = JSON.createObjectNode();
    node.put("java", spec.javaExecutable().toString());
    strings(node.putArray("jvmOptions"), spec.jvmOptions());
    if (spec.target() instanceof ClassPathTarget classPath) {
      strings(node.putArray("classPath"), classPath.classPath().stream().map(Path::toString).toList());
      node.put("mainClass", classPath.mainClass());
    } else {
      node.put("jar", ((JarTarget) spec.target()).jar().toString());
    }
    strings(node.putArray("programArgs"), spec.programArgs());
    spec.workingDirectory().ifPresent(d -> node.put("workingDirectory", d.toString()));
    ObjectNode environment = node.putObject("environment");
    spec.environment().forEach(environment::put);
    spec.stdoutLog().ifPresent(p -> node.put("stdoutLog", p.toString()));
    spec.stderrLog().ifPresent(p -> node.put("stderrLog", p.toString()));
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a launch spec as JSON", e);
    }
  }

  /**
   * Reads a spec written by {@link #write}.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static LaunchSpec read(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the launch spec is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the launch spec is not a JSON object");
    }
    LaunchTarget target;
    if (node.hasNonNull("jar")) {
      target = new JarTarget(Path.of(text(node, "jar")));
    } else {
      target = new ClassPathTarget(
          stringList(node, "classPath").stream().map(Path::of).toList(), text(node, "mainClass"));
    }
    LaunchSpec.Builder builder =
        LaunchSpec.builder(Path.of(text(node, "java")), target)
            .jvmOptions(stringList(node, "jvmOptions"))
            .programArgs(stringList(node, "programArgs"));
    optionalText(node, "workingDirectory").map(Path::of).ifPresent(builder::workingDirectory);
    JsonNode environment = node.get("environment");
    if (environment != null && environment.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = environment.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        builder.environment(field.getKey(), field.getValue().asText());
      }
    }
    Optional<String> out = optionalText(node, "stdoutLog");
    Optional<String> err = optionalText(node, "stderrLog");
    if (out.isPresent() && err.isPresent()) {
      builder.logs(Path.of(out.get()), Path.of(err.get()));
    }
    return builder.build();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String text(JsonNode node, String field) {
    return optionalText(node, field)
        .orElseThrow(() -> new IllegalArgumentException("the launch spec has no '" + field + "'"));
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static List<String> stringList(JsonNode node, String field) {
    JsonNode array = node.get(field);
    List<String> values = new ArrayList<>();
    if (array == null || array.isNull()) {
      return values;
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException("the launch spec's '" + field + "' is not an array");
    }
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
