package dev.bgservice.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a caller asks a run to start with: the base protocol's two fields plus free-form
 * {@code params} handed to the service.
 *
 * <p>Immutable: {@code params} is copied on the way in and on the way out, so neither the
 * caller nor the service can change what another party sees.
 *
 * @param serviceLabel human-readable text describing the running service (base protocol
 *     default {@value #DEFAULT_SERVICE_LABEL})
 * @param foregroundServiceType the base protocol's service type hint (default {@value
 *     #DEFAULT_FOREGROUND_SERVICE_TYPE}); meaningful on mobile, carried through on desktop
 * @param params an arbitrary JSON object for the service; empty when not given
 */
public record StartConfig(String serviceLabel, String foregroundServiceType, ObjectNode params) {

  /** Base protocol default for {@link #serviceLabel()}. */
  public static final String DEFAULT_SERVICE_LABEL = "Service running";

  /** Base protocol default for {@link #foregroundServiceType()}. */
  public static final String DEFAULT_FOREGROUND_SERVICE_TYPE = "dataSync";

  /** Fills defaults for absent (null) fields and takes a private copy of {@code params}. */
  public StartConfig {
    serviceLabel = serviceLabel == null ? DEFAULT_SERVICE_LABEL : serviceLabel;
    foregroundServiceType =
        foregroundServiceType == null ? DEFAULT_FOREGROUND_SERVICE_TYPE : foregroundServiceType;
    params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
  }

  /** The configuration {@code {}} decodes to: every field at its default. */
  public static StartConfig defaults() {
    return new StartConfig(null, null, null);
  }

  /** A default configuration carrying the given params. */
  public static StartConfig withParams(ObjectNode params) {
    return new StartConfig(null, null, Objects.requireNonNull(params, "params"));
  }

  /** A copy of the params object; changing it does not change this config. */
  @Override
  public ObjectNode params() {
    return params.deepCopy();
  }
}
