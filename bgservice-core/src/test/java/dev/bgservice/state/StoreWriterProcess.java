package dev.bgservice.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The main class of the child JVMs of the multi-process tests.
 *
 * <ul>
 *   <li>{@code write <dir> <label>}: forever, replaces the state by {@link #stateFor} of the
 *       next counter and prints each counter once its write returned.
 *   <li>{@code increment <dir> <label> <n>}: prints {@code ready}, waits for a line on stdin,
 *       increments {@code restartAttempt} {@code n} times via update, prints {@code done}.
 * </ul>
 */
public final class StoreWriterProcess {

  private StoreWriterProcess() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    DesiredStateStore store = DesiredStateStore.open(Path.of(args[1]), args[2]);
    switch (args[0]) {
      case "write" -> {
        while (true) {
          DesiredState written = store.update(s -> stateFor(s.restartAttempt() + 1));
          System.out.println(written.restartAttempt());
          System.out.flush();
        }
      }
      case "increment" -> {
        int times = Integer.parseInt(args[3]);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int i = 0; i < times; i++) {
          store.update(
              s ->
                  new DesiredState(
                      s.desiredRunning(),
                      s.lastStartConfig(),
                      s.lastStartEpochMs(),
                      s.lastHeartbeatEpochMs(),
                      s.restartAttempt() + 1,
                      s.recoveryPending(),
                      s.recoveryReason()));
        }
        System.out.println("done");
        System.out.flush();
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /**
   * A state whose every field derives from {@code n}, with a size that varies with {@code n}, so
   * that a mix of two writes or a truncated write cannot pass {@link #isStateFor}.
   */
  static DesiredState stateFor(int n) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("n", n);
    params.put("padding", "x".repeat(2_000 + (n % 7) * 1_500));
    return new DesiredState(
        n % 2 == 0,
        Optional.of(new StartConfig("write " + n, "type-" + n, params)),
        OptionalLong.of(n * 1000L),
        OptionalLong.of(n * 1000L + 1),
        n,
        n % 3 == 0,
        Optional.of("reason-" + n));
  }

  /** Whether {@code state} is exactly {@link #stateFor} of its own counter. */
  static boolean isStateFor(DesiredState state) {
    return state.equals(stateFor(state.restartAttempt()));
  }
}
