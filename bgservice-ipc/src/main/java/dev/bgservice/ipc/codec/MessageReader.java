package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.StatusJson;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a parsed JSON object into a {@link Message}. Throws {@link IllegalArgumentException} with a
 * message of the form "Invalid start request: config must be an object, got string".
 */
final class MessageReader {

  private static final String REQUEST_TYPES =
      "start, stop, isRunning, getState, enableAutoRestart, disableAutoRestart, "
          + "getDesiredState, validateSetup, getLifecycleStatus, hello";
  private static final String EVENT_TYPES =
      "started, stopped, error, stateChanged, service, shuttingDown, overflow, resync";

  private MessageReader() {}

  static Message read(ObjectNode object) {
    String kind;
    try {
      kind = requiredText(object, "kind");
    } catch (IllegalArgumentException e) {
      throw inContext("Invalid message", e);
    }
    switch (kind) {
      case "request":
        return request(object);
      case "response":
        try {
          return response(object);
        } catch (IllegalArgumentException e) {
          throw inContext("Invalid response", e);
        }
      case "event":
        return event(object);
      default:
        throw new IllegalArgumentException(
            "Invalid message: kind must be one of request, response, event; got '" + kind + "'");
    }
  }

  private static Request request(ObjectNode o) {
    String type;
    try {
      type = requiredText(o, "type");
    } catch (IllegalArgumentException e) {
      throw inContext("Invalid request", e);
    }
    try {
      return request(o, type, optionalLong(o, "id"));
    } catch (IllegalArgumentException e) {
      // The context is built only on failure: decoding is on the hot path of every message.
      throw inContext("Invalid " + type + " request", e);
    }
  }

  /**
   * The requests that carry nothing but their id, for both decoding paths; empty for any other
   * type.
   */
  static Optional<Request> idOnly(String type, OptionalLong id) {
    switch (type) {
      case "isRunning":
        return Optional.of(new Request.IsRunning(id));
      case "getState":
        return Optional.of(new Request.GetState(id));
      case "disableAutoRestart":
        return Optional.of(new Request.DisableAutoRestart(id));
      case "getDesiredState":
        return Optional.of(new Request.GetDesiredState(id));
      case "validateSetup":
        return Optional.of(new Request.ValidateSetup(id));
      case "getLifecycleStatus":
        return Optional.of(new Request.GetLifecycleStatus(id));
      default:
        return Optional.empty();
    }
  }

  private static Request request(ObjectNode o, String type, OptionalLong id) {
    Optional<Request> bare = idOnly(type, id);
    if (bare.isPresent()) {
      return bare.get();
    }
    switch (type) {
      case "start":
        return start(o, id);
      case "stop":
        return new Request.Stop(id, nonNegative(o, "timeoutMs"));
      case "enableAutoRestart":
        {
          JsonNode config = StatusJson.present(o, "config");
          return new Request.EnableAutoRestart(
              id,
              config == null
                  ? Optional.empty()
                  : Optional.of(StatusJson.startConfig(config, "config")));
        }
      case "hello":
        return hello(o, id);
      default:
        throw new IllegalArgumentException(
            "type '" + type + "' is unknown (expected one of " + REQUEST_TYPES + ")");
    }
  }

  /**
   * A start. A missing {@code config} means the defaults (lenient, as {@code {}} is valid);
   * request-level {@code params} (PROTOCOL.md B) win over {@code config.params}.
   */
  private static Request.Start start(ObjectNode o, OptionalLong id) {
    JsonNode configNode = StatusJson.present(o, "config");
    StartConfig config =
        configNode == null ? StartConfig.defaults() : StatusJson.startConfig(configNode, "config");
    JsonNode params = StatusJson.present(o, "params");
    if (params != null) {
      if (!params.isObject()) {
        throw StatusJson.wrongType("params", "an object", params);
      }
      config =
          new StartConfig(
              config.serviceLabel(), config.foregroundServiceType(), (ObjectNode) params);
    }
    return new Request.Start(id, config, optionalBoolean(o, "wait").orElse(false));
  }

  private static Request.Hello hello(ObjectNode o, OptionalLong id) {
    OptionalLong version = nonNegative(o, "version");
    if (version.isPresent() && version.getAsLong() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("version is too large: " + version.getAsLong());
    }
    return new Request.Hello(
        id, (int) version.orElse(0), optionalText(o, "instance"), nonNegative(o, "resumeAfter"));
  }

  private static Response response(ObjectNode o) {
    JsonNode ok = StatusJson.present(o, "ok");
    if (ok == null) {
      throw new IllegalArgumentException("ok is missing");
    }
    if (!ok.isBoolean()) {
      throw StatusJson.wrongType("ok", "a boolean", ok);
    }
    Optional<ErrorCode> code =
        optionalText(o, "code")
            .map(
                value -> {
                  if (value.isBlank()) {
                    throw new IllegalArgumentException("code must not be blank");
                  }
                  return ErrorCode.of(value);
                });
    return new Response(
        optionalLong(o, "id"),
        ok.booleanValue(),
        Optional.ofNullable(StatusJson.present(o, "data")),
        optionalText(o, "error"),
        code);
  }

  private static Event event(ObjectNode o) {
    String type;
    try {
      type = requiredText(o, "type");
    } catch (IllegalArgumentException e) {
      throw inContext("Invalid event", e);
    }
    try {
      return event(o, type, optionalLong(o, "seq"), optionalLong(o, "ts"));
    } catch (IllegalArgumentException e) {
      throw inContext("Invalid " + type + " event", e);
    }
  }

  private static Event event(ObjectNode o, String type, OptionalLong seq, OptionalLong ts) {
    switch (type) {
      case "started":
        return new Event.Started(seq, ts);
      case "stopped":
        return new Event.Stopped(seq, ts, requiredText(o, "reason"));
      case "error":
        return new Event.Failed(seq, ts, requiredText(o, "message"));
      case "stateChanged":
        return new Event.StateChanged(seq, ts, requiredText(o, "from"), requiredText(o, "to"));
      case "service":
        return new Event.Custom(seq, ts, requiredText(o, "name"), StatusJson.present(o, "payload"));
      case "shuttingDown":
        return new Event.ShuttingDown(seq, ts);
      case "overflow":
        return new Event.Overflow(seq, ts);
      case "resync":
        {
          JsonNode status = StatusJson.present(o, "status");
          if (status == null) {
            throw new IllegalArgumentException("status is missing");
          }
          return new Event.Resync(seq, ts, StatusJson.lifecycleStatus(status));
        }
      default:
        throw new IllegalArgumentException(
            "type '" + type + "' is unknown (expected one of " + EVENT_TYPES + ")");
    }
  }

  // ---- field helpers: a null field is an absent field (PROTOCOL.md A.2) ----

  private static String requiredText(ObjectNode o, String field) {
    return optionalText(o, field)
        .orElseThrow(() -> new IllegalArgumentException(field + " is missing"));
  }

  private static Optional<String> optionalText(ObjectNode o, String field) {
    JsonNode value = StatusJson.present(o, field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw StatusJson.wrongType(field, "a string", value);
    }
    return Optional.of(value.textValue());
  }

  private static Optional<Boolean> optionalBoolean(ObjectNode o, String field) {
    JsonNode value = StatusJson.present(o, field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw StatusJson.wrongType(field, "a boolean", value);
    }
    return Optional.of(value.booleanValue());
  }

  private static OptionalLong optionalLong(ObjectNode o, String field) {
    JsonNode value = StatusJson.present(o, field);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw StatusJson.wrongType(field, "an integer", value);
    }
    return OptionalLong.of(value.longValue());
  }

  private static OptionalLong nonNegative(ObjectNode o, String field) {
    OptionalLong value = optionalLong(o, field);
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value.getAsLong());
    }
    return value;
  }

  /** {@code e} with its message prefixed by {@code context}, unless it already has a context. */
  private static IllegalArgumentException inContext(String context, IllegalArgumentException e) {
    if (e.getMessage() != null && e.getMessage().startsWith("Invalid ")) {
      return e;
    }
    return new IllegalArgumentException(context + ": " + e.getMessage(), e);
  }
}
