package dev.bgservice.cli.bench;

import java.util.Arrays;

/**
 * Round-trip times of one series of calls, in nanoseconds, with the percentiles the report shows.
 *
 * @param sortedNanos the samples, ascending
 */
record Latencies(long[] sortedNanos) {

  /** Takes the samples (copied and sorted). */
  static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("a latency series needs at least one sample");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(sorted);
  }

  /** The sample at quantile {@code q} (0..1), by the nearest-rank method. */
  long quantileNanos(double q) {
    int rank = (int) Math.ceil(q * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))];
  }

  long medianNanos() {
    return quantileNanos(0.5);
  }

  long p99Nanos() {
    return quantileNanos(0.99);
  }

  int count() {
    return sortedNanos.length;
  }
}
