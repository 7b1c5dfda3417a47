package dev.bgservice.ipc.codec;

import dev.bgservice.service.StartConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request from a client to the sidecar (PROTOCOL.md A.3 and B). Every request may carry an
 * integer {@link #id()} (version 2); its response carries the same id.
 */
public sealed interface Request extends Message {

  /** The {@code type} on the wire. */
  String type();

  /** The request id, when the client sent one (version 2). */
  OptionalLong id();

  /** This request with the given id. */
  Request withId(long id);

  @Override
  default String kind() {
    return "request";
  }

  /**
   * Start a run. {@code config.params()} travels as the request-level {@code params} field
   * (PROTOCOL.md B).
   *
   * @param id the request id, if any
   * @param config the start configuration ({@link StartConfig#defaults()} when the request had no
   *     {@code config})
   * @param waitForInit {@code wait}: reply only after {@code init} finished (version 2)
   */
  record Start(OptionalLong id, StartConfig config, boolean waitForInit) implements Request {
    /** Checks the components are present. */
    public Start {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(config, "config");
    }

    /** A start without id that replies once scheduled, as in the base protocol. */
    public Start(StartConfig config) {
      this(OptionalLong.empty(), config, false);
    }

    @Override
    public String type() {
      return "start";
    }

    @Override
    public Start withId(long id) {
      return new Start(OptionalLong.of(id), config, waitForInit);
    }
  }

  /**
   * Stop the run.
   *
   * @param id the request id, if any
   * @param timeoutMs reply after {@code run} returned, or with code {@code timeout} after this many
   *     milliseconds (version 2); empty replies once the stop is requested
   */
  record Stop(OptionalLong id, OptionalLong timeoutMs) implements Request {
    /** Checks the components are present and the timeout is not negative. */
    public Stop {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(timeoutMs, "timeoutMs");
      if (timeoutMs.isPresent() && timeoutMs.getAsLong() < 0) {
        throw new IllegalArgumentException("timeoutMs must not be negative: " + timeoutMs);
      }
    }

    /** A stop without id or timeout. */
    public Stop() {
      this(OptionalLong.empty(), OptionalLong.empty());
    }

    @Override
    public String type() {
      return "stop";
    }

    @Override
    public Stop withId(long id) {
      return new Stop(OptionalLong.of(id), timeoutMs);
    }
  }

  /** Ask whether a run is active; data {@code {"running": bool}}. */
  record IsRunning(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public IsRunning {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public IsRunning() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "isRunning";
    }

    @Override
    public IsRunning withId(long id) {
      return new IsRunning(OptionalLong.of(id));
    }
  }

  /** Ask for the ServiceStatus. */
  record GetState(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public GetState {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public GetState() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "getState";
    }

    @Override
    public GetState withId(long id) {
      return new GetState(OptionalLong.of(id));
    }
  }

  /**
   * Turn automatic restart on.
   *
   * @param id the request id, if any
   * @param config the configuration to restart with; empty when {@code config} was absent or null
   */
  record EnableAutoRestart(OptionalLong id, Optional<StartConfig> config) implements Request {
    /** Checks the components are present. */
    public EnableAutoRestart {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(config, "config");
    }

    /** Without id. */
    public EnableAutoRestart(Optional<StartConfig> config) {
      this(OptionalLong.empty(), config);
    }

    @Override
    public String type() {
      return "enableAutoRestart";
    }

    @Override
    public EnableAutoRestart withId(long id) {
      return new EnableAutoRestart(OptionalLong.of(id), config);
    }
  }

  /** Turn automatic restart off. */
  record DisableAutoRestart(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public DisableAutoRestart {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public DisableAutoRestart() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "disableAutoRestart";
    }

    @Override
    public DisableAutoRestart withId(long id) {
      return new DisableAutoRestart(OptionalLong.of(id));
    }
  }

  /** Ask for the persisted DesiredState. */
  record GetDesiredState(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public GetDesiredState {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public GetDesiredState() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "getDesiredState";
    }

    @Override
    public GetDesiredState withId(long id) {
      return new GetDesiredState(OptionalLong.of(id));
    }
  }

  /** Ask for a SetupValidationReport. */
  record ValidateSetup(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public ValidateSetup {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public ValidateSetup() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "validateSetup";
    }

    @Override
    public ValidateSetup withId(long id) {
      return new ValidateSetup(OptionalLong.of(id));
    }
  }

  /** Ask for the LifecycleStatus. */
  record GetLifecycleStatus(OptionalLong id) implements Request {
    /** Checks the id is present. */
    public GetLifecycleStatus {
      Objects.requireNonNull(id, "id");
    }

    /** Without id. */
    public GetLifecycleStatus() {
      this(OptionalLong.empty());
    }

    @Override
    public String type() {
      return "getLifecycleStatus";
    }

    @Override
    public GetLifecycleStatus withId(long id) {
      return new GetLifecycleStatus(OptionalLong.of(id));
    }
  }

  /**
   * Negotiate the protocol version and, in version 2, resume the event stream.
   *
   * @param id the request id, if any
   * @param version the client's protocol version (0 when absent on the wire)
   * @param instance the sidecar instance the client last talked to (version 2)
   * @param resumeAfter the last event {@code seq} the client has seen (version 2)
   */
  record Hello(OptionalLong id, int version, Optional<String> instance, OptionalLong resumeAfter)
      implements Request {
    /** Checks the components are present and the numbers are not negative. */
    public Hello {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(resumeAfter, "resumeAfter");
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      if (resumeAfter.isPresent() && resumeAfter.getAsLong() < 0) {
        throw new IllegalArgumentException("resumeAfter must not be negative: " + resumeAfter);
      }
    }

    /** A hello announcing {@code version}, without id or resume point. */
    public Hello(int version) {
      this(OptionalLong.empty(), version, Optional.empty(), OptionalLong.empty());
    }

    @Override
    public String type() {
      return "hello";
    }

    @Override
    public Hello withId(long id) {
      return new Hello(OptionalLong.of(id), version, instance, resumeAfter);
    }
  }
}
