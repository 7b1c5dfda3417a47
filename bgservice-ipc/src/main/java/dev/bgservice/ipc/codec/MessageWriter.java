package dev.bgservice.ipc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.StatusJson;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Streams a {@link Message} as JSON: {@code kind}, then {@code type}, then {@code id} or {@code
 * seq}/{@code ts}, then the fields, omitting absent ones. Every string goes through {@link
 * Utf16#wellFormed}.
 */
final class MessageWriter {
  private MessageWriter() {}

  static void write(Message message, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", message.kind());
    if (message instanceof Request) {
      request((Request) message, g);
    } else if (message instanceof Response) {
      response((Response) message, g);
    } else {
      event((Event) message, g);
    }
    g.writeEndObject();
  }

  private static void request(Request request, JsonGenerator g) throws IOException {
    g.writeStringField("type", request.type());
    number(g, "id", request.id());
    if (request instanceof Request.Start) {
      Request.Start start = (Request.Start) request;
      StartConfig config = start.config();
      // The base protocol's StartConfig has two fields; params travel beside it (part B).
      g.writeObjectFieldStart("config");
      string(g, "serviceLabel", config.serviceLabel());
      string(g, "foregroundServiceType", config.foregroundServiceType());
      g.writeEndObject();
      JsonNode params = config.params();
      if (!params.isEmpty()) {
        g.writeFieldName("params");
        tree(g, params);
      }
      if (start.waitForInit()) {
        g.writeBooleanField("wait", true);
      }
    } else if (request instanceof Request.Stop) {
      number(g, "timeoutMs", ((Request.Stop) request).timeoutMs());
    } else if (request instanceof Request.EnableAutoRestart) {
      var config = ((Request.EnableAutoRestart) request).config();
      if (config.isPresent()) {
        g.writeFieldName("config");
        tree(g, StatusJson.toJson(config.get()));
      }
    } else if (request instanceof Request.Hello) {
      Request.Hello hello = (Request.Hello) request;
      g.writeNumberField("version", hello.version());
      if (hello.instance().isPresent()) {
        string(g, "instance", hello.instance().get());
      }
      number(g, "resumeAfter", hello.resumeAfter());
    }
  }

  private static void response(Response response, JsonGenerator g) throws IOException {
    number(g, "id", response.id());
    g.writeBooleanField("ok", response.ok());
    if (response.data().isPresent()) {
      g.writeFieldName("data");
      tree(g, response.data().get());
    }
    if (response.error().isPresent()) {
      string(g, "error", response.error().get());
    }
    if (response.code().isPresent()) {
      string(g, "code", response.code().get().value());
    }
  }

  private static void event(Event event, JsonGenerator g) throws IOException {
    g.writeStringField("type", event.type());
    number(g, "seq", event.seq());
    number(g, "ts", event.ts());
    if (event instanceof Event.Stopped) {
      string(g, "reason", ((Event.Stopped) event).reason());
    } else if (event instanceof Event.Failed) {
      string(g, "message", ((Event.Failed) event).message());
    } else if (event instanceof Event.StateChanged) {
      Event.StateChanged changed = (Event.StateChanged) event;
      string(g, "from", changed.from());
      string(g, "to", changed.to());
    } else if (event instanceof Event.Custom) {
      Event.Custom custom = (Event.Custom) event;
      string(g, "name", custom.name());
      JsonNode payload = custom.payload();
      if (!payload.isNull()) {
        g.writeFieldName("payload");
        tree(g, payload);
      }
    } else if (event instanceof Event.Resync) {
      g.writeFieldName("status");
      tree(g, StatusJson.toJson(((Event.Resync) event).status()));
    }
  }

  private static void string(JsonGenerator g, String field, String value) throws IOException {
    g.writeStringField(field, Utf16.wellFormed(value));
  }

  private static void number(JsonGenerator g, String field, OptionalLong value) throws IOException {
    if (value.isPresent()) {
      g.writeNumberField(field, value.getAsLong());
    }
  }

  /** Writes a JSON tree, making its strings and field names well formed on the way. */
  private static void tree(JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        g.writeFieldName(Utf16.wellFormed(field.getKey()));
        tree(g, field.getValue());
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode item : node) {
        tree(g, item);
      }
      g.writeEndArray();
    } else if (node.isTextual()) {
      g.writeString(Utf16.wellFormed(node.textValue()));
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else if (node.isNull()) {
      g.writeNull();
    } else if (node.isNumber()) {
      number(g, node);
    } else {
      // Binary and POJO nodes: rare, and only the mapper knows how to write them.
      g.writeTree(node);
    }
  }

  /**
   * Writes a number as the tree serializer would, without it: {@code writeTree} goes through the
   * mapper's serializer lookup, which costs more than the rest of a small message together.
   */
  private static void number(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT -> g.writeNumber(node.intValue());
      case LONG -> g.writeNumber(node.longValue());
      case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
      case FLOAT -> g.writeNumber(node.floatValue());
      case DOUBLE -> g.writeNumber(node.doubleValue());
      case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
      default -> g.writeTree(node);
    }
  }
}
