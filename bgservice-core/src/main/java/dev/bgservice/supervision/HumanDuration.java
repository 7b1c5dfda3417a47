package dev.bgservice.supervision;

import java.time.Duration;

/** Short human forms of durations for messages: {@code 250 ms}, {@code 1.5 s}, {@code 10 min}. */
final class HumanDuration {

  private HumanDuration() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 60_000 || millis % 60_000 != 0) {
      return millis % 1_000 == 0 ? (millis / 1_000) + " s" : (millis / 1_000.0) + " s";
    }
    long minutes = millis / 60_000;
    return minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
  }
}
