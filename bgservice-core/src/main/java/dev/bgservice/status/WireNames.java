package dev.bgservice.status;

import java.util.function.Function;

/** Looks up enum constants by their wire names, with a clear error for unknown names. */
final class WireNames {
  private WireNames() {}

  static <E extends Enum<E>> E lookup(
      Class<E> type, E[] values, Function<E, String> wireName, String name) {
    for (E value : values) {
      if (wireName.apply(value).equals(name)) {
        return value;
      }
    }
    StringBuilder known = new StringBuilder();
    for (E value : values) {
      known.append(known.length() == 0 ? "" : ", ").append(wireName.apply(value));
    }
    throw new IllegalArgumentException(
        "unknown " + type.getSimpleName() + " '" + name + "' (expected one of: " + known + ")");
  }
}
