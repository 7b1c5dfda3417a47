package dev.bgservice.supervision;

import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import java.util.Optional;
import java.util.OptionalLong;

/** A copy of a {@link DesiredState} whose fields can be changed one by one, then rebuilt. */
final class IntentEditor {
  private boolean desiredRunning;
  private Optional<StartConfig> lastStartConfig;
  private OptionalLong lastStartEpochMs;
  private final OptionalLong lastHeartbeatEpochMs;
  private int restartAttempt;
  private boolean recoveryPending;
  private Optional<String> recoveryReason;

  private IntentEditor(DesiredState state) {
    desiredRunning = state.desiredRunning();
    lastStartConfig = state.lastStartConfig();
    lastStartEpochMs = state.lastStartEpochMs();
    lastHeartbeatEpochMs = state.lastHeartbeatEpochMs();
    restartAttempt = state.restartAttempt();
    recoveryPending = state.recoveryPending();
    recoveryReason = state.recoveryReason();
  }

  static IntentEditor edit(DesiredState state) {
    return new IntentEditor(state);
  }

  IntentEditor desiredRunning(boolean value) {
    desiredRunning = value;
    return this;
  }

  IntentEditor lastStartConfig(StartConfig value) {
    lastStartConfig = Optional.of(value);
    return this;
  }

  IntentEditor lastStartEpochMs(long value) {
    lastStartEpochMs = OptionalLong.of(value);
    return this;
  }

  IntentEditor restartAttempt(int value) {
    restartAttempt = value;
    return this;
  }

  IntentEditor recoveryPending(boolean value) {
    recoveryPending = value;
    return this;
  }

  IntentEditor recoveryReason(String value) {
    recoveryReason = Optional.ofNullable(value);
    return this;
  }

  DesiredState build() {
    return new DesiredState(
        desiredRunning,
        lastStartConfig,
        lastStartEpochMs,
        lastHeartbeatEpochMs,
        restartAttempt,
        recoveryPending,
        recoveryReason);
  }
}
