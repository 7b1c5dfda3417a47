package dev.bgservice.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of one {@code bgs bench} run, each next to the baseline measured in the same run, as
 * text for people and as one JSON object for scripts.
 */
record BenchReport(
    ObjectNode environment,
    RoundTrip roundTrip,
    Stream oneClient,
    Stream fanOut,
    Startup startup,
    Memory memory) {

  /** Round-trip target: the median within this factor of the raw echo's median. */
  static final double ROUND_TRIP_TARGET_RATIO = 2.0;

  /** Event-stream target for one client, events per second. */
  static final double ONE_CLIENT_TARGET_RATE = 100_000;

  /** Idle-memory goal, bytes. */
  static final long IDLE_RSS_GOAL = 64L * 1024 * 1024;

  /** isRunning through the persistent client against the raw echo of the same frame sizes. */
  record RoundTrip(int requestBytes, int responseBytes, Latencies bgservice, Latencies echo) {
    double ratio() {
      return (double) bgservice.medianNanos() / echo.medianNanos();
    }

    boolean met() {
      return ratio() <= ROUND_TRIP_TARGET_RATIO;
    }
  }

  /**
   * One flood of events to {@code deliveries.size()} clients against a raw one-way stream of the
   * same frames to as many readers (frames per second of its slowest reader).
   */
  record Stream(int frameBytes, List<Receiver.Delivery> deliveries, double echoFramesPerSecond) {
    boolean lossless() {
      return deliveries.stream().allMatch(Receiver.Delivery::perfect);
    }

    double slowestRate() {
      return deliveries.stream().mapToDouble(Receiver.Delivery::eventsPerSecond).min().orElse(0);
    }

    long totalLost() {
      return deliveries.stream().mapToLong(Receiver.Delivery::lost).sum();
    }

    double ratio() {
      return slowestRate() / echoFramesPerSecond;
    }
  }

  /** Medians of the time from spawning a JVM to its first line. */
  record Startup(int runs, long sidecarNanos, long trivialJvmNanos) {
    double ratio() {
      return (double) sidecarNanos / trivialJvmNanos;
    }
  }

  /** Resident memory of the sidecar: idle after start, and after the event floods. */
  record Memory(Optional<Long> idleBytes, Optional<Long> afterLoadBytes) {}

  /** True when every event reached every client: the one verdict that is not about speed. */
  boolean lossless() {
    return oneClient.lossless() && fanOut.lossless();
  }

  List<String> lines() {
    return List.of(
        "environment: " + environment.path("java").asText() + ", " + environment.path("os").asText()
            + ", " + environment.path("cores").asInt() + " cores; JVM flags: "
            + environment.path("jvmFlags").asText(),
        String.format(Locale.ROOT,
            "round trip, isRunning, 1 connection (%d calls, %d/%d-byte frames):",
            roundTrip.bgservice().count(), roundTrip.requestBytes(), roundTrip.responseBytes()),
        String.format(Locale.ROOT,
            "  bgservice median %s  p99 %s | raw echo median %s  p99 %s | %.2fx the baseline (target <= %.0fx: %s)",
            micros(roundTrip.bgservice().medianNanos()), micros(roundTrip.bgservice().p99Nanos()),
            micros(roundTrip.echo().medianNanos()), micros(roundTrip.echo().p99Nanos()),
            roundTrip.ratio(), ROUND_TRIP_TARGET_RATIO, verdict(roundTrip.met())),
        streamLine("event stream, 1 client", oneClient)
            + String.format(Locale.ROOT, " (target >= %,.0f/s lossless: %s)",
                ONE_CLIENT_TARGET_RATE,
                verdict(oneClient.lossless() && oneClient.slowestRate() >= ONE_CLIENT_TARGET_RATE)),
        streamLine("event stream, " + fanOut.deliveries().size() + " clients", fanOut)
            + " (target: every client gets every event: " + verdict(fanOut.lossless()) + ")",
        String.format(Locale.ROOT,
            "sidecar start to ready: median %d ms | trivial JVM start: median %d ms | %.1fx (%d runs each)",
            startup.sidecarNanos() / 1_000_000, startup.trivialJvmNanos() / 1_000_000,
            startup.ratio(), startup.runs()),
        "sidecar resident memory: idle " + mebibytes(memory.idleBytes()) + " (goal < 64 MiB: "
            + memory.idleBytes().map(b -> verdict(b < IDLE_RSS_GOAL)).orElse("not measured")
            + "), after the event streams " + mebibytes(memory.afterLoadBytes()));
  }

  private static String streamLine(String title, Stream stream) {
    Receiver.Delivery first = stream.deliveries().get(0);
    return String.format(Locale.ROOT,
        "%s (%,d events of %d bytes): %,.0f events/s%s, %d lost | raw stream %,.0f frames/s%s | %.2fx",
        title, first.expected(), stream.frameBytes(), stream.slowestRate(),
        stream.deliveries().size() > 1 ? " (slowest client)" : "", stream.totalLost(),
        stream.echoFramesPerSecond(),
        stream.deliveries().size() > 1 ? " (slowest reader)" : "", stream.ratio());
  }

  JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.set("environment", environment);
    ObjectNode rt = root.putObject("roundTrip");
    rt.put("calls", roundTrip.bgservice().count());
    rt.put("requestBytes", roundTrip.requestBytes());
    rt.put("responseBytes", roundTrip.responseBytes());
    rt.put("medianMicros", roundTrip.bgservice().medianNanos() / 1000.0);
    rt.put("p99Micros", roundTrip.bgservice().p99Nanos() / 1000.0);
    rt.put("echoMedianMicros", roundTrip.echo().medianNanos() / 1000.0);
    rt.put("echoP99Micros", roundTrip.echo().p99Nanos() / 1000.0);
    rt.put("ratio", round(roundTrip.ratio()));
    rt.put("targetRatio", ROUND_TRIP_TARGET_RATIO);
    rt.put("met", roundTrip.met());
    ObjectNode one = stream(root.putObject("eventStreamOneClient"), oneClient);
    one.put("targetEventsPerSecond", ONE_CLIENT_TARGET_RATE);
    one.put("met", oneClient.lossless() && oneClient.slowestRate() >= ONE_CLIENT_TARGET_RATE);
    ObjectNode many = stream(root.putObject("eventStreamFanOut"), fanOut);
    many.put("met", fanOut.lossless());
    ObjectNode st = root.putObject("startup");
    st.put("runs", startup.runs());
    st.put("sidecarMillis", startup.sidecarNanos() / 1e6);
    st.put("trivialJvmMillis", startup.trivialJvmNanos() / 1e6);
    st.put("ratio", round(startup.ratio()));
    ObjectNode mem = root.putObject("memory");
    memory.idleBytes().ifPresentOrElse(b -> mem.put("idleRssBytes", b), () -> mem.putNull("idleRssBytes"));
    memory.afterLoadBytes()
        .ifPresentOrElse(b -> mem.put("afterLoadRssBytes", b), () -> mem.putNull("afterLoadRssBytes"));
    mem.put("idleGoalBytes", IDLE_RSS_GOAL);
    memory.idleBytes().ifPresent(b -> mem.put("met", b < IDLE_RSS_GOAL));
    root.put("lossless", lossless());
    return root;
  }

  private static ObjectNode stream(ObjectNode node, Stream stream) {
    node.put("clients", stream.deliveries().size());
    node.put("events", stream.deliveries().get(0).expected());
    node.put("frameBytes", stream.frameBytes());
    node.put("slowestClientEventsPerSecond", Math.round(stream.slowestRate()));
    node.put("echoFramesPerSecond", Math.round(stream.echoFramesPerSecond()));
    node.put("ratio", round(stream.ratio()));
    node.put("lost", stream.totalLost());
    node.put("lossless", stream.lossless());
    var perClient = node.putArray("perClient");
    for (Receiver.Delivery d : stream.deliveries()) {
      ObjectNode c = perClient.addObject();
      c.put("received", d.received());
      c.put("outOfOrder", d.outOfOrder());
      c.put("resyncs", d.resyncs());
      c.put("disconnects", d.disconnects());
      c.put("eventsPerSecond", Math.round(d.eventsPerSecond()));
    }
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1000.0);
  }

  private static String mebibytes(Optional<Long> bytes) {
    return bytes.map(b -> String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024))).orElse("n/a");
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }
}
