package dev.bgservice.service;

/** Emits a service's own events to every listener and client. */
@FunctionalInterface
public interface EventEmitter {

  /**
   * Emits an event named {@code name} with a payload that Jackson can convert to JSON (a map,
   * a record, a {@code JsonNode}, a string, a number; {@code null} for none). Events emitted
   * after the run ended are dropped.
   *
   * @throws IllegalArgumentException if the name is blank or the payload cannot be converted
   */
  void emit(String name, Object payload);
}
