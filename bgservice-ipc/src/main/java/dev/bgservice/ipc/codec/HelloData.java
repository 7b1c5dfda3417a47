package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.StatusJson;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code data} of a successful {@code hello} response: {@code {"version"}} for a base-protocol
 * client, {@code {"version", "instance", "seq", "status"}} for a version-2 client (PROTOCOL.md B).
 *
 * @param version the server's protocol version
 * @param instance the id of the sidecar process (version 2)
 * @param seq the number of the last event when the hello was answered (version 2)
 * @param status the lifecycle status at that event (version 2)
 */
public record HelloData(
    int version, Optional<String> instance, OptionalLong seq, Optional<LifecycleStatus> status) {

  /** Checks the components are present. */
  public HelloData {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(status, "status");
  }

  /** The answer to a base-protocol hello: the version only. */
  public static HelloData base(int version) {
    return new HelloData(version, Optional.empty(), OptionalLong.empty(), Optional.empty());
  }

  /** The answer to a version-2 hello. */
  public static HelloData resumable(
      int version, String instance, long seq, LifecycleStatus status) {
    return new HelloData(version, Optional.of(instance), OptionalLong.of(seq), Optional.of(status));
  }

  /** The JSON object, omitting absent fields. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("version", version);
    instance.ifPresent(i -> node.put("instance", i));
    seq.ifPresent(s -> node.put("seq", s));
    status.ifPresent(s -> node.set("status", StatusJson.toJson(s)));
    return node;
  }

  /**
   * Reads the data of a hello response; absent {@code data} or {@code version} means version 0.
   *
   * @throws CodecException with code {@code invalid_request} if a field has the wrong type
   */
  public static HelloData fromJson(Optional<JsonNode> data) {
    if (data.isEmpty()) {
      return base(0);
    }
    try {
      ObjectNode object = StatusJson.requireObject(data.get(), "hello data");
      long version = StatusJson.optionalLong(object, "version", "hello data").orElse(0);
      if (version < 0 || version > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("hello data.version is out of range: " + version);
      }
      JsonNode status = StatusJson.present(object, "status");
      return new HelloData(
          (int) version,
          StatusJson.optionalText(object, "instance", "hello data"),
          StatusJson.optionalLong(object, "seq", "hello data"),
          status == null ? Optional.empty() : Optional.of(StatusJson.lifecycleStatus(status)));
    } catch (IllegalArgumentException e) {
      throw CodecException.content(
          ErrorCode.INVALID_REQUEST,
          "Invalid hello response: " + e.getMessage() + ".",
          OptionalLong.empty(),
          e);
    }
  }
}
