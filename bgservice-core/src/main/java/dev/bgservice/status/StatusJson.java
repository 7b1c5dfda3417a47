package dev.bgservice.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.service.StartConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON form of the value types shared by the wire protocol, the state file and the CLI's
 * {@code --json} output (PROTOCOL.md A.6). Writing omits absent optional fields; reading accepts
 * them absent or null, ignores unknown fields, and rejects wrong types with an {@link
 * IllegalArgumentException} that names the field.
 */
public final class StatusJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StatusJson() {}

  // ---- StartConfig ----

  /** {@code {"serviceLabel", "foregroundServiceType", "params"?}}; empty params are omitted. */
  public static ObjectNode toJson(StartConfig config) {
    ObjectNode node = NODES.objectNode();
    node.put("serviceLabel", config.serviceLabel());
    node.put("foregroundServiceType", config.foregroundServiceType());
    ObjectNode params = config.params();
    if (!params.isEmpty()) {
      node.set("params", params);
    }
    return node;
  }

  /** Reads a StartConfig object; absent fields take their defaults. */
  public static StartConfig startConfig(JsonNode node, String where) {
    ObjectNode object = requireObject(node, where);
    JsonNode params = present(object, "params");
    if (params != null && !params.isObject()) {
      throw wrongType(where + ".params", "an object", params);
    }
    return new StartConfig(
        optionalText(object, "serviceLabel", where).orElse(null),
        optionalText(object, "foregroundServiceType", where).orElse(null),
        (ObjectNode) params);
  }

  // ---- ServiceStatus ----

  /** {@code {"state", "lastError": string|null}}; lastError is always written, as in A.6. */
  public static ObjectNode toJson(ServiceStatus status) {
    ObjectNode node = NODES.objectNode();
    node.put("state", status.state());
    node.put("lastError", status.lastError().orElse(null));
    return node;
  }

  /** Reads a ServiceStatus. */
  public static ServiceStatus serviceStatus(JsonNode node) {
    ObjectNode object = requireObject(node, "status");
    return new ServiceStatus(
        requiredText(object, "state", "status"), optionalText(object, "lastError", "status"));
  }

  // ---- DesiredState ----

  /** The A.6 DesiredState object. */
  public static ObjectNode toJson(DesiredState state) {
    ObjectNode node = NODES.objectNode();
    node.put("desiredRunning", state.desiredRunning());
    state.lastStartConfig().ifPresent(c -> node.set("lastStartConfig", toJson(c)));
    state.lastStartEpochMs().ifPresent(ms -> node.put("lastStartEpochMs", ms));
    state.lastHeartbeatEpochMs().ifPresent(ms -> node.put("lastHeartbeatEpochMs", ms));
    node.put("restartAttempt", state.restartAttempt());
    node.put("recoveryPending", state.recoveryPending());
    state.recoveryReason().ifPresent(r -> node.put("recoveryReason", r));
    return node;
  }

  /** Reads a DesiredState; absent booleans are false and an absent attempt count is 0. */
  public static DesiredState desiredState(JsonNode node) {
    String where = "desiredState";
    ObjectNode object = requireObject(node, where);
    JsonNode config = present(object, "lastStartConfig");
    return new DesiredState(
        optionalBoolean(object, "desiredRunning", where).orElse(false),
        config == null
            ? Optional.empty()
            : Optional.of(startConfig(config, where + ".lastStartConfig")),
        optionalLong(object, "lastStartEpochMs", where),
        optionalLong(object, "lastHeartbeatEpochMs", where),
        (int) optionalLong(object, "restartAttempt", where).orElse(0),
        optionalBoolean(object, "recoveryPending", where).orElse(false),
        optionalText(object, "recoveryReason", where));
  }

  // ---- SetupIssue and SetupValidationReport ----

  /** {@code {"code", "message", "platform", "severity", "fix"?}}. */
  public static ObjectNode toJson(SetupIssue issue) {
    ObjectNode node = NODES.objectNode();
    node.put("code", issue.code());
    node.put("message", issue.message());
    node.put("platform", issue.platform());
    node.put("severity", issue.severity().wireName());
    issue.fix().ifPresent(f -> node.put("fix", f));
    return node;
  }

  /** Reads a SetupIssue. */
  public static SetupIssue setupIssue(JsonNode node, String where) {
    ObjectNode object = requireObject(node, where);
    return new SetupIssue(
        requiredText(object, "code", where),
        requiredText(object, "message", where),
        optionalText(object, "platform", where).orElse("unknown"),
        enumValue(object, "severity", where, Severity::fromWireName),
        optionalText(object, "fix", where));
  }

  /**
   * {@code {"code", "status", "message", "fix"?, "severity"?}}: one check of a report's {@code
   * checks} extension; {@code severity} is written exactly for a failed check.
   */
  public static ObjectNode toJson(SetupCheck check) {
    ObjectNode node = NODES.objectNode();
    node.put("code", check.code());
    node.put("status", check.status().wireName());
    node.put("message", check.message());
    check.fix().ifPresent(f -> node.put("fix", f));
    check.severity().ifPresent(s -> node.put("severity", s.wireName()));
    return node;
  }

  /** Reads a SetupCheck; a failed check without a severity is taken as an error. */
  public static SetupCheck setupCheck(JsonNode node, String where) {
    ObjectNode object = requireObject(node, where);
    CheckStatus status = enumValue(object, "status", where, CheckStatus::fromWireName);
    Optional<Severity> severity = Optional.empty();
    if (status == CheckStatus.FAIL) {
      severity = Optional.of(present(object, "severity") == null
          ? Severity.ERROR
          : enumValue(object, "severity", where, Severity::fromWireName));
    }
    return new SetupCheck(
        requiredText(object, "code", where),
        status,
        requiredText(object, "message", where),
        optionalText(object, "fix", where),
        severity);
  }

  /**
   * {@code {"ok", "errors", "warnings", "issues", "checks"?}}: the A.6 shape, plus the {@code
   * checks} extension when the report has checks.
   */
  public static ObjectNode toJson(SetupValidationReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("ok", report.ok());
    node.set("errors", issues(report.errors()));
    node.set("warnings", issues(report.warnings()));
    node.set("issues", issues(report.issues()));
    if (!report.checks().isEmpty()) {
      ArrayNode checks = NODES.arrayNode();
      report.checks().forEach(c -> checks.add(toJson(c)));
      node.set("checks", checks);
    }
    return node;
  }

  /** Reads a SetupValidationReport; {@code ok} is recomputed from the issues. */
  public static SetupValidationReport setupValidationReport(JsonNode node) {
    String where = "report";
    ObjectNode object = requireObject(node, where);
    List<SetupIssue> all = new ArrayList<>(issueList(object, "issues", where));
    if (all.isEmpty()) {
      all.addAll(issueList(object, "errors", where));
      all.addAll(issueList(object, "warnings", where));
    }
    return SetupValidationReport.of(all, checkList(object, "checks", where));
  }

  // ---- PlatformCapabilities ----

  /** The A.6 PlatformCapabilities object. */
  public static ObjectNode toJson(PlatformCapabilities caps) {
    ObjectNode node = NODES.objectNode();
    node.put("platform", caps.platform());
    node.put("lifecycleMode", caps.lifecycleMode().wireName());
    node.put("survivesAppClose", caps.survivesAppClose().wireName());
    node.put("survivesReboot", caps.survivesReboot().wireName());
    node.put("survivesForceQuit", caps.survivesForceQuit().wireName());
    node.put("backgroundExecution", caps.backgroundExecution().wireName());
    node.set("limitations", strings(caps.limitations()));
    node.set("requiredSetup", strings(caps.requiredSetup()));
    return node;
  }

  /** Reads a PlatformCapabilities object. */
  public static PlatformCapabilities platformCapabilities(JsonNode node) {
    String where = "capabilities";
    ObjectNode object = requireObject(node, where);
    return new PlatformCapabilities(
        requiredText(object, "platform", where),
        enumValue(object, "lifecycleMode", where, LifecycleMode::fromWireName),
        enumValue(object, "survivesAppClose", where, Support::fromWireName),
        enumValue(object, "survivesReboot", where, Support::fromWireName),
        enumValue(object, "survivesForceQuit", where, Support::fromWireName),
        enumValue(object, "backgroundExecution", where, Support::fromWireName),
        stringList(object, "limitations", where),
        stringList(object, "requiredSetup", where));
  }

  // ---- LifecycleStatus ----

  /** The A.6 LifecycleStatus object. */
  public static ObjectNode toJson(LifecycleStatus status) {
    ObjectNode node = NODES.objectNode();
    node.put("state", status.state().wireName());
    node.put("desiredRunning", status.desiredRunning());
    node.put("recoveryEnabled", status.recoveryEnabled());
    node.put("recoveryPending", status.recoveryPending());
    status.recoveryReason().ifPresent(r -> node.put("recoveryReason", r));
    status.lastStartConfig().ifPresent(c -> node.set("lastStartConfig", toJson(c)));
    status.lastError().ifPresent(e -> node.put("lastError", e));
    node.put("platform", status.platform());
    node.set("capabilities", toJson(status.capabilities()));
    node.set("issues", issues(status.issues()));
    return node;
  }

  /** Reads a LifecycleStatus. */
  public static LifecycleStatus lifecycleStatus(JsonNode node) {
    String where = "lifecycleStatus";
    ObjectNode object = requireObject(node, where);
    JsonNode config = present(object, "lastStartConfig");
    JsonNode caps = present(object, "capabilities");
    if (caps == null) {
      throw new IllegalArgumentException(where + ".capabilities is missing");
    }
    return new LifecycleStatus(
        enumValue(object, "state", where, StatusState::fromWireName),
        optionalBoolean(object, "desiredRunning", where).orElse(false),
        optionalBoolean(object, "recoveryEnabled", where).orElse(false),
        optionalBoolean(object, "recoveryPending", where).orElse(false),
        optionalText(object, "recoveryReason", where),
        config == null
            ? Optional.empty()
            : Optional.of(startConfig(config, where + ".lastStartConfig")),
        optionalText(object, "lastError", where),
        requiredText(object, "platform", where),
        platformCapabilities(caps),
        issueList(object, "issues", where));
  }

  // ---- field helpers, public for the codecs of other modules ----

  /** The node if it is an object, else an error naming {@code where}. */
  public static ObjectNode requireObject(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw wrongType(where, "an object", node);
    }
    return (ObjectNode) node;
  }

  /** The field's node, or null when it is absent or JSON null. */
  public static JsonNode present(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** A string field that must be present. */
  public static String requiredText(ObjectNode object, String field, String where) {
    return optionalText(object, field, where)
        .orElseThrow(() -> new IllegalArgumentException(where + "." + field + " is missing"));
  }

  /** A string field that may be absent or null. */
  public static Optional<String> optionalText(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw wrongType(where + "." + field, "a string", value);
    }
    return Optional.of(value.textValue());
  }

  /** A boolean field that may be absent or null. */
  public static Optional<Boolean> optionalBoolean(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw wrongType(where + "." + field, "a boolean", value);
    }
    return Optional.of(value.booleanValue());
  }

  /** An integer field that may be absent or null. */
  public static OptionalLong optionalLong(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(where + "." + field, "an integer", value);
    }
    return OptionalLong.of(value.longValue());
  }

  /** An error saying that a field has the wrong JSON type. */
  public static IllegalArgumentException wrongType(String where, String expected, JsonNode got) {
    String actual = got == null || got.isMissingNode() ? "nothing" : got.getNodeType().name()
        .toLowerCase(java.util.Locale.ROOT);
    return new IllegalArgumentException(where + " must be " + expected + ", got " + actual);
  }

  private static <E> E enumValue(
      ObjectNode object, String field, String where, java.util.function.Function<String, E> parse) {
    String text = requiredText(object, field, where);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + field + ": " + e.getMessage(), e);
    }
  }

  private static ArrayNode issues(List<SetupIssue> issues) {
    ArrayNode array = NODES.arrayNode();
    issues.forEach(i -> array.add(toJson(i)));
    return array;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private static List<SetupIssue> issueList(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw wrongType(where + "." + field, "an array", value);
    }
    List<SetupIssue> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      out.add(setupIssue(value.get(i), where + "." + field + "[" + i + "]"));
    }
    return out;
  }

  private static List<SetupCheck> checkList(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw wrongType(where + "." + field, "an array", value);
    }
    List<SetupCheck> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      out.add(setupCheck(value.get(i), where + "." + field + "[" + i + "]"));
    }
    return out;
  }

  private static List<String> stringList(ObjectNode object, String field, String where) {
    JsonNode value = present(object, field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw wrongType(where + "." + field, "an array", value);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw wrongType(where + "." + field + "[" + i + "]", "a string", item);
      }
      out.add(item.textValue());
    }
    return out;
  }
}
