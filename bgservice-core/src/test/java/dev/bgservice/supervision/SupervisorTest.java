package dev.bgservice.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.lifecycle.LifecycleEvent;
import dev.bgservice.lifecycle.LifecycleManager;
import dev.bgservice.lifecycle.LifecycleState;
import dev.bgservice.lifecycle.StopReason;
import dev.bgservice.service.StartConfig;
import dev.bgservice.state.DesiredStateStore;
import dev.bgservice.state.StoreProblem;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.LifecycleMode;
import dev.bgservice.status.LifecycleStatus;
import dev.bgservice.status.PlatformCapabilities;
import dev.bgservice.status.StatusState;
import dev.bgservice.status.Support;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
  private static final String LABEL = "svc";
  /** Restarts at once and without jitter, so that tests are quick and exact. */
  private static final RestartPolicy FAST =
      RestartPolicy.defaults()
          .withDelays(Duration.ofMillis(10), Duration.ofMillis(40))
          .withJitter(0);

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ManualClock clock = new ManualClock();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5));
  }

  private LifecycleManager manager(TestService service) {
    LifecycleManager manager =
        LifecycleManager.builder(LABEL, service.factory())
            .dataDirectory(dir.resolve("data"))
            .defaultStopTimeout(Duration.ofSeconds(5))
            .stopGrace(Duration.ofSeconds(1))
            .build();
    toClose.add(manager);
    return manager;
  }

  private DesiredStateStore store() {
    return DesiredStateStore.open(dir.resolve("state"), LABEL);
  }

  private Supervisor supervisor(
      TestService service, UnaryOperator<Supervisor.Builder> configure) {
    Supervisor supervisor =
        configure
            .apply(
                Supervisor.builder(manager(service), store())
                    .policy(FAST)
                    .clock(clock)
                    .random(new SplittableRandom(3)))
            .build();
    toClose.add(supervisor);
    return supervisor;
  }

  private Supervisor supervisor(TestService service) {
    return supervisor(service, b -> b);
  }

  private static void awaitState(Supervisor supervisor, StatusState state) {
    eventually().until(() -> supervisor.status().state() == state);
  }

  /** A restart is scheduled (not merely about to be). */
  private static void awaitRestartScheduled(Supervisor supervisor) {
    eventually()
        .until(
            () -> {
              SupervisorStatus status = supervisor.status();
              return status.state() == StatusState.RECOVERING
                  && status.nextAttemptEpochMs().isPresent();
            });
  }

  /** Running, and the supervisor has handled the start (a recovery is no longer pending). */
  private static void awaitUp(Supervisor supervisor, TestService service, int starts) {
    eventually()
        .until(
            () ->
                service.starts.get() == starts
                    && supervisor.status().state() == StatusState.RUNNING
                    && !supervisor.desiredState().recoveryPending());
  }

  private DesiredState persisted() {
    return store().readPersisted().orElseThrow();
  }

  // ---- intent ----

  @Test
  void startRecordsTheIntentWithItsConfigAndTime() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service, b -> b.heartbeatInterval(Duration.ofMillis(10)));
    StartConfig config = new StartConfig("Syncing", null, null);

    supervisor.start(config);
    awaitState(supervisor, StatusState.RUNNING);

    DesiredState state = persisted();
    assertThat(state.desiredRunning()).isTrue();
    assertThat(state.lastStartConfig()).contains(config);
    assertThat(state.lastStartEpochMs()).hasValue(clock.millis());
    assertThat(state.restartAttempt()).isZero();
    assertThat(state.recoveryPending()).isFalse();
    assertThat(service.configs).containsExactly(config);
    SupervisorStatus status = supervisor.status();
    assertThat(status.desiredRunning()).isTrue();
    assertThat(status.recoveryEnabled()).isTrue();
    assertThat(status.recoveryPending()).isFalse();
    assertThat(status.lastStartConfig()).contains(config);
    // The heartbeat is written while the service runs.
    eventually().until(() -> persisted().lastHeartbeatEpochMs().equals(OptionalLong.of(clock.millis())));
  }

  @Test
  void aStartWhileRunningFailsAndLeavesTheIntentAlone() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    StartConfig first = new StartConfig("first", null, null);
    supervisor.start(first);

    assertThatThrownBy(() -> supervisor.start(new StartConfig("second", null, null)))
        .isInstanceOf(AlreadyRunningException.class);
    assertThat(persisted().lastStartConfig()).contains(first);
  }

  @Test
  void aUserStopClearsTheIntent() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    supervisor.start(StartConfig.defaults());
    awaitState(supervisor, StatusState.RUNNING);

    Optional<LifecycleEvent.Terminal> terminal = supervisor.stop();

    assertThat(terminal).containsInstanceOf(LifecycleEvent.Stopped.class);
    assertThat(((LifecycleEvent.Stopped) terminal.orElseThrow()).reason())
        .isEqualTo(StopReason.USER_STOP);
    assertThat(persisted().desiredRunning()).isFalse();
    assertThat(persisted().recoveryPending()).isFalse();
    awaitState(supervisor, StatusState.STOPPED);
    assertThat(supervisor.status().recoveryEnabled()).isFalse();
  }

  @Test
  void aUserStopThroughTheManagerClearsTheIntentToo() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    supervisor.start(StartConfig.defaults());
    awaitState(supervisor, StatusState.RUNNING);

    supervisor.manager().stop();

    eventually().until(() -> !supervisor.desiredState().desiredRunning());
    assertThat(persisted().desiredRunning()).isFalse();
    assertThat(supervisor.status().state()).isEqualTo(StatusState.STOPPED);
  }

  @Test
  void aStopWithNothingToStopFailsButStillClearsTheIntent() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    supervisor.enableAutoRestart(Optional.empty());

    assertThatThrownBy(supervisor::stop).isInstanceOf(NotRunningException.class);
    assertThat(persisted().desiredRunning()).isFalse();
  }

  @Test
  void aCompletedTaskClearsTheIntent() {
    TestService service = new TestService();
    service.completeAtOnce = true;
    Supervisor supervisor = supervisor(service);

    supervisor.start(StartConfig.defaults());

    eventually().until(() -> !supervisor.desiredState().desiredRunning());
    assertThat(persisted().desiredRunning()).isFalse();
    assertThat(supervisor.status().state()).isEqualTo(StatusState.STOPPED);
    assertThat(service.starts).hasValue(1);
  }

  @Test
  void anAppStopKeepsTheIntentAndMarksARecoveryPending() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    supervisor.start(StartConfig.defaults());
    awaitState(supervisor, StatusState.RUNNING);

    supervisor.stopAsync(StopReason.APP_STOP, Duration.ofSeconds(5)).join();

    DesiredState state = persisted();
    assertThat(state.desiredRunning()).isTrue();
    assertThat(state.recoveryPending()).isTrue();
    assertThat(state.recoveryReason()).contains(RecoveryReason.APP_STOP);
    awaitState(supervisor, StatusState.RECOVERY_PENDING);
    assertThat(supervisor.status().recoveryPending()).isTrue();
    assertThat(supervisor.status().lifecycleState()).isEqualTo(LifecycleState.STOPPED);
  }

  @Test
  void enableAndDisableAutoRestartChangeOnlyTheIntent() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);
    StartConfig config = new StartConfig("wanted", null, null);

    supervisor.enableAutoRestart(Optional.of(config));

    assertThat(supervisor.manager().snapshot().state()).isEqualTo(LifecycleState.IDLE);
    assertThat(persisted().desiredRunning()).isTrue();
    assertThat(persisted().lastStartConfig()).contains(config);
    assertThat(persisted().recoveryPending()).isTrue();
    assertThat(supervisor.status().state()).isEqualTo(StatusState.RECOVERY_PENDING);

    supervisor.disableAutoRestart();

    assertThat(persisted().desiredRunning()).isFalse();
    assertThat(supervisor.status().state()).isEqualTo(StatusState.IDLE);

    StartConfig started = new StartConfig("started", null, null);
    supervisor.start(started);
    awaitState(supervisor, StatusState.RUNNING);
    supervisor.disableAutoRestart();

    assertThat(supervisor.manager().isRunning()).isTrue();
    assertThat(persisted().desiredRunning()).isFalse();

    supervisor.enableAutoRestart(Optional.empty());

    assertThat(supervisor.manager().isRunning()).isTrue();
    assertThat(persisted().desiredRunning()).isTrue();
    assertThat(persisted().lastStartConfig()).contains(started);
    assertThat(persisted().recoveryPending()).isFalse();
    assertThat(service.starts).hasValue(1);
  }

  // ---- acting on intent ----

  @Test
  void closingKeepsTheIntentAndTheNextHostRecoversWithTheLastConfig() {
    TestService service = new TestService();
    Supervisor first = supervisor(service);
    StartConfig config = new StartConfig("remembered", "dataSync", null);
    first.start(config);
    awaitState(first, StatusState.RUNNING);

    first.close();

    DesiredState kept = persisted();
    assertThat(kept.desiredRunning()).isTrue();
    assertThat(kept.recoveryPending()).isTrue();
    assertThat(kept.recoveryReason()).contains(RecoveryReason.APP_STOP);

    clock.advance(Duration.ofMinutes(5));
    Supervisor second = supervisor(service);
    assertThat(second.status().state()).isEqualTo(StatusState.RECOVERY_PENDING);

    assertThat(second.recover()).isPresent();

    awaitUp(second, service, 2);
    assertThat(service.configs).containsExactly(config, config);
    DesiredState recovered = persisted();
    assertThat(recovered.recoveryReason()).contains(RecoveryReason.BOOT_RECOVERY);
    assertThat(recovered.lastStartEpochMs()).hasValue(clock.millis());
    assertThat(recovered.recoveryPending()).isFalse();
    assertThat(second.recover()).isEmpty();
  }

  @Test
  void recoverDoesNothingWithoutTheIntent() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);

    assertThat(supervisor.recover()).isEmpty();
    assertThat(supervisor.status().state()).isEqualTo(StatusState.IDLE);
    assertThat(supervisor.persistedState()).isEmpty();
    assertThat(service.starts).hasValue(0);
  }

  @Test
  void recoverDoesNothingWhenRecoveryIsDisabled() {
    store().write(
        new DesiredState(
            true, Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, true,
            Optional.empty()));
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service, b -> b.recoveryEnabled(false));

    assertThat(supervisor.recover()).isEmpty();

    SupervisorStatus status = supervisor.status();
    assertThat(status.state()).isEqualTo(StatusState.RECOVERY_PENDING);
    assertThat(status.desiredRunning()).isTrue();
    assertThat(status.recoveryEnabled()).isFalse();
    assertThat(service.starts).hasValue(0);
  }

  @Test
  void recoverWithoutARecordedConfigUsesTheDefaults() {
    TestService service = new TestService();
    Supervisor first = supervisor(service);
    first.enableAutoRestart(Optional.empty());
    first.close();

    Supervisor second = supervisor(service);
    second.recover();

    awaitUp(second, service, 1);
    assertThat(service.configs).containsExactly(StartConfig.defaults());
  }

  // ---- supervision ----

  @Test
  void aFailingRunIsRestartedUntilItStaysUp() {
    TestService service = new TestService().failRun(2);
    Supervisor supervisor = supervisor(service);

    supervisor.start(StartConfig.defaults());

    awaitUp(supervisor, service, 3);
    DesiredState state = persisted();
    assertThat(state.restartAttempt()).isEqualTo(2);
    assertThat(state.recoveryReason()).contains(RecoveryReason.SERVICE_FAILED);
    assertThat(state.desiredRunning()).isTrue();
    assertThat(supervisor.status().restartAttempt()).isEqualTo(2);
    assertThat(supervisor.status().lastError()).contains("Service failed: run boom");
  }

  @Test
  void aFailingInitIsRestartedToo() {
    TestService service = new TestService().failInit(1);
    Supervisor supervisor = supervisor(service);

    supervisor.start(StartConfig.defaults());

    awaitUp(supervisor, service, 2);
    assertThat(persisted().restartAttempt()).isEqualTo(1);
  }

  @Test
  void whileWaitingItReportsRecoveringWithTheNextAttemptTime() {
    TestService service = new TestService().failRun(1);
    RestartPolicy slow =
                RestartPolicy.defaults()
            .withDelays(Duration.ofHours(1), Duration.ofHours(2))
            .withJitter(0);
    Supervisor supervisor = supervisor(service, b -> b.policy(slow));

    supervisor.start(StartConfig.defaults());
    awaitRestartScheduled(supervisor);

    SupervisorStatus status = supervisor.status();
    assertThat(status.nextAttemptEpochMs()).hasValue(clock.millis() + 3_600_000);
    assertThat(status.restartAttempt()).isEqualTo(1);
    assertThat(status.recoveryPending()).isTrue();
    assertThat(status.recoveryReason()).contains(RecoveryReason.SERVICE_FAILED);
    assertThat(status.lastError()).contains("Service failed: run boom");
    assertThat(status.lifecycleState()).isEqualTo(LifecycleState.FAILED);
    DesiredState state = persisted();
    assertThat(state.restartAttempt()).isEqualTo(1);
    assertThat(state.recoveryPending()).isTrue();

    assertThat(supervisor.stop()).isEmpty();

    status = supervisor.status();
    assertThat(status.state()).isEqualTo(StatusState.STOPPED);
    assertThat(status.nextAttemptEpochMs()).isEmpty();
    assertThat(status.desiredRunning()).isFalse();
    assertThat(persisted().desiredRunning()).isFalse();
  }

  @Test
  void aUserStopCancelsAPendingRestart() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        supervisor(service, b -> b.policy(FAST.withDelays(Duration.ofMillis(300), Duration.ofMillis(300))));
    supervisor.start(StartConfig.defaults());
    awaitRestartScheduled(supervisor);

    supervisor.stop();

    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> service.starts.get() == 1);
    assertThat(supervisor.status().state()).isEqualTo(StatusState.STOPPED);
  }

  @Test
  void aNewStartCancelsAPendingRestart() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        supervisor(service, b -> b.policy(FAST.withDelays(Duration.ofMillis(300), Duration.ofMillis(300))));
    supervisor.start(StartConfig.defaults());
    awaitRestartScheduled(supervisor);
    StartConfig again = new StartConfig("again", null, null);

    supervisor.start(again);

    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> service.starts.get() == 2 && supervisor.manager().snapshot().generation() == 2);
    awaitState(supervisor, StatusState.RUNNING);
    assertThat(persisted().restartAttempt()).isZero();
    assertThat(persisted().lastStartConfig()).contains(again);
    assertThat(supervisor.status().lastError()).isEmpty();
  }

  @Test
  void givesUpAfterTheLastAttemptAndReportsAnErrorSayingWhy() {
    TestService service = new TestService().failRun(1_000);
    Supervisor supervisor = supervisor(service, b -> b.policy(FAST.withMaxAttempts(2)));

    supervisor.start(StartConfig.defaults());

    awaitState(supervisor, StatusState.ERROR);
    assertThat(service.starts).hasValue(3);
    SupervisorStatus status = supervisor.status();
    assertThat(status.lastError())
        .contains("Service failed: run boom; gave up after 2 restart attempts within 10 min");
    assertThat(status.recoveryPending()).isFalse();
    assertThat(status.nextAttemptEpochMs()).isEmpty();
    DesiredState state = persisted();
    assertThat(state.desiredRunning()).isTrue();
    assertThat(state.restartAttempt()).isEqualTo(2);
    assertThat(state.recoveryPending()).isFalse();
  }

  @Test
  void aStableUptimeResetsTheCount() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service, b -> b.policy(FAST.withMaxAttempts(2)));
    supervisor.start(StartConfig.defaults());
    awaitUp(supervisor, service, 1);
    service.crash();
    awaitUp(supervisor, service, 2);
    service.crash();
    awaitUp(supervisor, service, 3);
    assertThat(persisted().restartAttempt()).isEqualTo(2);

    // Up for the policy's 60 s: the next failure starts a new streak instead of giving up.
    clock.advance(Duration.ofSeconds(60));
    service.crash();
    awaitUp(supervisor, service, 4);
    assertThat(persisted().restartAttempt()).isEqualTo(1);

    // Without a stable uptime the streak goes on, and the policy gives up.
    service.crash();
    awaitUp(supervisor, service, 5);
    service.crash();
    awaitState(supervisor, StatusState.ERROR);
    assertThat(service.starts).hasValue(5);
  }

  @Test
  void aStableUptimeClearsThePersistedCountAndTheError() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        Supervisor.builder(manager(service), store())
            .policy(FAST.withResetAfter(Duration.ofMillis(200)))
            .build(); // the system clock: the stability check runs for real
    toClose.add(supervisor);

    supervisor.start(StartConfig.defaults());
    awaitUp(supervisor, service, 2);

    eventually()
        .until(
            () -> persisted().restartAttempt() == 0 && supervisor.status().lastError().isEmpty());
    assertThat(supervisor.status().state()).isEqualTo(StatusState.RUNNING);
  }

  @Test
  void aFailureOfARunNobodyWantsIsNotRestarted() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor = supervisor(service);

    supervisor.manager().start(StartConfig.defaults()); // bypasses the intent

    awaitState(supervisor, StatusState.ERROR);
    assertThat(supervisor.status().lastError()).contains("Service failed: run boom");
    assertThat(supervisor.status().desiredRunning()).isFalse();
    assertThat(service.starts).hasValue(1);
  }

  @Test
  void withRecoveryDisabledAFailureIsAnError() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor = supervisor(service, b -> b.recoveryEnabled(false));

    supervisor.start(StartConfig.defaults());

    awaitState(supervisor, StatusState.ERROR);
    assertThat(service.starts).hasValue(1);
    assertThat(supervisor.status().desiredRunning()).isTrue();
    assertThat(supervisor.status().recoveryEnabled()).isFalse();
  }

  @Test
  void disablingAutoRestartCancelsAPendingRestartAndLeavesTheError() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        supervisor(service, b -> b.policy(FAST.withDelays(Duration.ofHours(1), Duration.ofHours(1))));
    supervisor.start(StartConfig.defaults());
    awaitRestartScheduled(supervisor);

    supervisor.disableAutoRestart();

    assertThat(supervisor.status().state()).isEqualTo(StatusState.ERROR);
    assertThat(supervisor.status().nextAttemptEpochMs()).isEmpty();
    assertThat(persisted().desiredRunning()).isFalse();
  }

  // ---- status, store problems, lifetime ----

  @Test
  void storeProblemsAppearInTheStatusAndAsIssues() throws IOException {
    Path stateDir = Files.createDirectories(dir.resolve("state"));
    Files.writeString(stateDir.resolve(LABEL + ".state.json"), "{not json");
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service);

    SupervisorStatus status = supervisor.status();

    assertThat(status.storeProblems())
        .extracting(StoreProblem::kind)
        .containsExactly(StoreProblem.Kind.CORRUPT_FILE_PRESERVED);
    PlatformCapabilities caps =
        new PlatformCapabilities(
            "linux",
            LifecycleMode.DESKTOP_IN_PROCESS,
            Support.UNSUPPORTED,
            Support.UNSUPPORTED,
            Support.UNSUPPORTED,
            Support.BEST_EFFORT,
            List.of(),
            List.of());
    LifecycleStatus lifecycle = status.toLifecycleStatus("linux", caps, List.of());
    assertThat(lifecycle.state()).isEqualTo(StatusState.IDLE);
    assertThat(lifecycle.issues()).extracting(i -> i.code()).containsExactly("state_file_corrupt");
  }

  @Test
  void aStoreThatCannotBeWrittenDoesNotStopSupervision() throws IOException {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor = supervisor(service);
    // A directory where the state file belongs: every read and write of it fails.
    Files.createDirectories(dir.resolve("state").resolve(LABEL + ".state.json"));

    supervisor.start(StartConfig.defaults());

    awaitUp(supervisor, service, 2);
    SupervisorStatus status = supervisor.status();
    assertThat(status.desiredRunning()).isTrue();
    assertThat(status.restartAttempt()).isEqualTo(1);
    assertThat(status.storeProblems())
        .extracting(StoreProblem::kind)
        .contains(StoreProblem.Kind.IO_FAILURE);
  }

  @Test
  void closeEndsEveryThreadAndRefusesFurtherRequests() throws Exception {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        supervisor(
            service,
            b ->
                b.heartbeatInterval(Duration.ofMillis(5))
                    .policy(FAST.withDelays(Duration.ofHours(1), Duration.ofHours(1))));
    supervisor.start(StartConfig.defaults());
    awaitRestartScheduled(supervisor);

    supervisor.close();
    supervisor.close(); // idempotent

    assertThat(threadsNamed("bgservice-supervisor-" + LABEL)).isZero();
    assertThat(threadsNamed("bgservice-heartbeat-" + LABEL)).isZero();
    assertThatThrownBy(() -> supervisor.start(StartConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> supervisor.enableAutoRestart(Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(supervisor.status().nextAttemptEpochMs()).isEmpty();
    assertThat(persisted().desiredRunning()).isTrue();
  }

  @Test
  void closeWhileRunningStopsTheRunAsAnAppStop() {
    TestService service = new TestService();
    Supervisor supervisor = supervisor(service, b -> b.heartbeatInterval(Duration.ofMillis(5)));
    supervisor.start(StartConfig.defaults());
    awaitUp(supervisor, service, 1);

    supervisor.close();

    assertThat(supervisor.manager().isRunning()).isFalse();
    assertThat(threadsNamed("bgservice-heartbeat-" + LABEL)).isZero();
    assertThat(threadsNamed("bgservice-supervisor-" + LABEL)).isZero();
    assertThat(persisted().recoveryReason()).contains(RecoveryReason.APP_STOP);
  }

  @Test
  void theStoreMustBelongToTheManagersLabel() {
    TestService service = new TestService();
    LifecycleManager manager = manager(service);
    DesiredStateStore other = DesiredStateStore.open(dir.resolve("state"), "other");

    assertThatThrownBy(() -> Supervisor.builder(manager, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the state store of 'other' cannot hold the intent of service 'svc'");
    assertThatThrownBy(
            () -> Supervisor.builder(manager, store()).heartbeatInterval(Duration.ZERO))
        .hasMessageContaining("heartbeatInterval must be positive");
  }

  @Test
  void aUserStopRightAfterAFailureWinsOverTheRestart() {
    TestService service = new TestService().failRun(1);
    Supervisor supervisor =
        supervisor(service, b -> b.policy(FAST.withDelays(Duration.ofMillis(300), Duration.ofMillis(300))));
    supervisor.start(StartConfig.defaults());
    // Stop as soon as the run failed, possibly before the supervisor has handled the failure.
    eventually().until(() -> supervisor.manager().snapshot().state() == LifecycleState.FAILED);

    assertThat(supervisor.stop()).isEmpty();

    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> service.starts.get() == 1);
    assertThat(supervisor.status().state()).isEqualTo(StatusState.STOPPED);
    assertThat(persisted().desiredRunning()).isFalse();
  }

  @Test
  void stopAsyncReportsNotRunningWhenThereIsNothingToStop() {
    Supervisor supervisor = supervisor(new TestService());

    assertThatThrownBy(
            () ->
                supervisor
                    .stopAsync(StopReason.USER_STOP, Duration.ofSeconds(1))
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NotRunningException.class);
  }

  private static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name))
        .count();
  }
}
