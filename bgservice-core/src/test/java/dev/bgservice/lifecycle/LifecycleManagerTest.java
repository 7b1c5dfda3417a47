package dev.bgservice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.error.InitFailedException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.service.BackgroundService;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleManagerTest {
  private static final Duration SHORT = Duration.ofMillis(200);

  @TempDir Path tmp;

  private final AtomicReference<Supplier<BackgroundService>> next =
      new AtomicReference<>(TestServices::cooperative);
  private LifecycleManager manager;
  private final Recorder recorder = new Recorder();

  private LifecycleManager manager() {
    if (manager == null) {
      manager =
          LifecycleManager.builder("test-service", () -> next.get().get())
              .dataDirectory(tmp.resolve("data"))
              .stopGrace(SHORT)
              .defaultStopTimeout(Duration.ofSeconds(5))
              .build();
      manager.subscribe(recorder);
    }
    return manager;
  }

  @AfterEach
  void closeManager() {
    if (manager != null) {
      manager.close();
    }
  }

  @Test
  void startRunsInitThenRunAndReportsStarted() {
    RunHandle handle = manager().start(StartConfig.defaults());

    assertThat(handle.generation()).isEqualTo(1);
    handle.initialized().join();
    recorder.awaitEvent(e -> e instanceof LifecycleEvent.Started);
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(manager.isRunning()).isTrue();
    assertThat(recorder.events().get(0)).isInstanceOf(LifecycleEvent.Snapshot.class);
    assertThat(recorder.ofType(LifecycleEvent.StateChanged.class))
        .extracting(LifecycleEvent.StateChanged::from, LifecycleEvent.StateChanged::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LifecycleState.IDLE, LifecycleState.STARTING),
            org.assertj.core.groups.Tuple.tuple(LifecycleState.STARTING, LifecycleState.RUNNING));
  }

  @Test
  void startWhileRunningIsRefusedAndChangesNothing() {
    manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));
    StateSnapshot before = manager.snapshot();
    int eventsBefore = recorder.events().size();

    assertThatThrownBy(() -> manager.start(StartConfig.defaults()))
        .isInstanceOf(AlreadyRunningException.class)
        .hasMessage("Service is already running")
        .satisfies(e -> assertThat(((AlreadyRunningException) e).code())
            .isEqualTo(ErrorCode.ALREADY_RUNNING));
    assertThat(manager.snapshot()).isEqualTo(before);
    assertThat(recorder.events()).hasSize(eventsBefore);
  }

  @Test
  void stopWhileIdleIsRefused() {
    assertThatThrownBy(() -> manager().stop())
        .isInstanceOf(NotRunningException.class)
        .hasMessage("Service is not running");
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.IDLE);
  }

  @Test
  void userStopEndsTheRunWithOneStoppedEvent() {
    manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));

    LifecycleEvent.Terminal outcome = manager.stop();

    assertThat(outcome).isEqualTo(new LifecycleEvent.Stopped(1, StopReason.USER_STOP));
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.STOPPED);
    recorder.awaitTerminal(1);
    assertThat(recorder.ofType(LifecycleEvent.Terminal.class)).containsExactly(outcome);
  }

  @Test
  void runReturningOnItsOwnIsTaskCompleted() {
    next.set(TestServices::finishing);
    RunHandle handle = manager().start(StartConfig.defaults());

    assertThat(handle.terminated().join())
        .isEqualTo(new LifecycleEvent.Stopped(1, StopReason.TASK_COMPLETED));
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.STOPPED);
    assertThat(manager.snapshot().lastError()).isEmpty();
  }

  @Test
  void runFailureIsReportedAsErrorWithTheLastError() {
    next.set(() -> TestServices.failingRun("disk on fire"));
    RunHandle handle = manager().start(StartConfig.defaults());

    LifecycleEvent.Terminal outcome = handle.terminated().join();

    assertThat(outcome).isEqualTo(new LifecycleEvent.Failed(1, "Service failed: disk on fire", false));
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.FAILED);
    assertThat(manager.snapshot().lastError()).contains("Service failed: disk on fire");
    recorder.awaitTerminal(1);
    assertThat(recorder.ofType(LifecycleEvent.Started.class)).hasSize(1);
  }

  @Test
  void initFailureSurfacesToAWaitingCaller() {
    next.set(() -> TestServices.failingInit("disk full"));

    assertThatThrownBy(() -> manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5)))
        .isInstanceOf(InitFailedException.class)
        .hasMessage("Initialisation failed: disk full");
    assertThat(recorder.awaitTerminal(1))
        .isEqualTo(new LifecycleEvent.Failed(1, "Initialisation failed: disk full", true));
    assertThat(recorder.ofType(LifecycleEvent.Started.class)).isEmpty();
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.FAILED);
  }

  @Test
  void anchorStartReturnsBeforeInitFinishes() throws Exception {
    CountDownLatch initMayFinish = new CountDownLatch(1);
    next.set(
        () ->
            new BackgroundService() {
              @Override
              public void init(ServiceContext context) throws Exception {
                initMayFinish.await();
              }

              @Override
              public void run(ServiceContext context) throws Exception {
                context.shutdown().await(Duration.ofSeconds(30));
              }
            });

    RunHandle handle = manager().start(StartConfig.defaults());

    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.STARTING);
    assertThat(handle.initialized()).isNotDone();
    initMayFinish.countDown();
    handle.initialized().get(5, TimeUnit.SECONDS);
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.RUNNING);
  }

  @Test
  void stopDuringInitEndsTheRunWithoutStartedAndFailsTheInitWaiter() {
    next.set(
        () ->
            new BackgroundService() {
              @Override
              public void init(ServiceContext context) throws Exception {
                context.shutdown().await(Duration.ofSeconds(30));
              }

              @Override
              public void run(ServiceContext context) {
                throw new AssertionError("run must not be called after a stop during init");
              }
            });
    RunHandle handle = manager().start(StartConfig.defaults());

    LifecycleEvent.Terminal outcome = manager.stop();

    assertThat(outcome).isEqualTo(new LifecycleEvent.Stopped(1, StopReason.USER_STOP));
    assertThatThrownBy(() -> handle.initialized().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(InitFailedException.class);
    assertThat(recorder.ofType(LifecycleEvent.Started.class)).isEmpty();
  }

  @Test
  void serviceThatIgnoresTheTokenIsInterruptedAfterTheTimeout() {
    next.set(TestServices::ignoresTokenHonoursInterrupt);
    manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));

    LifecycleEvent.Terminal outcome = manager.stop(StopReason.USER_STOP, SHORT);

    assertThat(outcome).isEqualTo(new LifecycleEvent.Stopped(1, StopReason.USER_STOP));
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.STOPPED);
  }

  @Test
  void uncooperativeServiceIsAbandonedAndANewRunCanStart() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ServiceContext> oldContext = new AtomicReference<>();
    next.set(
        () ->
            context -> {
              oldContext.set(context);
              TestServices.uncooperative(release).run(context);
              // An old run keeps acting after it was abandoned: none of it may reach anyone.
              context.events().emit("late", Map.of("from", "old run"));
            });
    manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));

    long before = System.nanoTime();
    LifecycleEvent.Terminal outcome = manager.stop(StopReason.USER_STOP, SHORT);
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(outcome).isEqualTo(new LifecycleEvent.Stopped(1, StopReason.STOP_TIMEOUT));
    assertThat(took).isGreaterThanOrEqualTo(SHORT.plus(SHORT));
    StateSnapshot abandoned = manager.snapshot();
    assertThat(abandoned.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(abandoned.lastError()).hasValueSatisfying(e -> assertThat(e).contains("abandoned"));

    next.set(TestServices::cooperative);
    RunHandle second = manager.startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));
    assertThat(second.generation()).isEqualTo(2);

    release.countDown(); // the old run now returns and emits
    await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(oldContext.get()));
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(manager.snapshot().generation()).isEqualTo(2);
    assertThat(recorder.ofType(LifecycleEvent.Custom.class)).isEmpty();
    assertThat(recorder.ofType(LifecycleEvent.Terminal.class))
        .containsExactly(new LifecycleEvent.Stopped(1, StopReason.STOP_TIMEOUT));
  }

  private static boolean isAlive(ServiceContext context) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t -> t.getName().equals("bgservice-test-service-run-" + context.generation())
                && t.isAlive());
  }

  @Test
  void customEventsCarryTheirPayloadAndRejectBadInput() {
    AtomicReference<Throwable> blankName = new AtomicReference<>();
    AtomicReference<Throwable> badPayload = new AtomicReference<>();
    next.set(
        () ->
            context -> {
              context.events().emit("tick", Map.of("count", 1));
              context.events().emit("raw", JsonNodeFactory.instance.textNode("x"));
              context.events().emit("empty", null);
              try {
                context.events().emit(" ", 1);
              } catch (IllegalArgumentException e) {
                blankName.set(e);
              }
              try {
                context.events().emit("bad", new Object());
              } catch (IllegalArgumentException e) {
                badPayload.set(e);
              }
            });
    manager().start(StartConfig.defaults()).terminated().join();
    recorder.awaitTerminal(1);

    List<LifecycleEvent.Custom> custom = recorder.ofType(LifecycleEvent.Custom.class);
    assertThat(custom).extracting(LifecycleEvent.Custom::name).containsExactly("tick", "raw", "empty");
    assertThat(custom.get(0).payload().get("count").asInt()).isEqualTo(1);
    assertThat(custom.get(1).payload().asText()).isEqualTo("x");
    assertThat(custom.get(2).payload().isNull()).isTrue();
    assertThat(blankName.get()).hasMessageContaining("must not be blank");
    assertThat(badPayload.get()).hasMessageContaining("event 'bad' payload cannot be converted");
  }

  @Test
  void contextGivesConfigLabelDataDirectoryAndGeneration() throws Exception {
    AtomicReference<ServiceContext> seen = new AtomicReference<>();
    AtomicReference<Path> dir = new AtomicReference<>();
    next.set(
        () ->
            context -> {
              seen.set(context);
              dir.set(context.dataDirectory());
            });
    StartConfig config =
        new StartConfig("Syncing", "dataSync", JsonNodeFactory.instance.objectNode().put("k", 7));

    manager().start(config).terminated().join();

    assertThat(seen.get().config()).isEqualTo(config);
    assertThat(seen.get().config().params().get("k").asInt()).isEqualTo(7);
    assertThat(seen.get().label()).isEqualTo("test-service");
    assertThat(seen.get().generation()).isEqualTo(1);
    assertThat(dir.get()).isEqualTo(tmp.resolve("data"));
    assertThat(Files.isDirectory(dir.get())).isTrue();
  }

  @Test
  void shutdownTokenWakesWaitersAndRunsCallbacks() throws Exception {
    AtomicInteger callbacks = new AtomicInteger();
    CountDownLatch registered = new CountDownLatch(1);
    AtomicReference<Boolean> awaited = new AtomicReference<>();
    next.set(
        () ->
            context -> {
              context.shutdown().onCancel(callbacks::incrementAndGet);
              AutoCloseable removed = context.shutdown().onCancel(callbacks::incrementAndGet);
              removed.close();
              registered.countDown();
              awaited.set(context.shutdown().await(Duration.ofSeconds(30)));
              context.shutdown().onCancel(callbacks::incrementAndGet); // already cancelled: runs now
              assertThat(context.shutdown().isCancelled()).isTrue();
            });
    manager().start(StartConfig.defaults());
    assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();

    manager.stop();

    assertThat(awaited.get()).isTrue();
    assertThat(callbacks.get()).isEqualTo(2);
  }

  @Test
  void throwingListenerHarmsNobodyElse() {
    manager().subscribe(
        event -> {
          throw new IllegalStateException("listener bug");
        });
    Recorder second = new Recorder();
    manager.subscribe(second);

    manager.startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));
    manager.stop();

    second.awaitTerminal(1);
    assertThat(second.ofType(LifecycleEvent.Started.class)).hasSize(1);
    assertThat(manager.snapshot().state()).isEqualTo(LifecycleState.STOPPED);
  }

  @Test
  void listenersMayCallBackIntoTheManagerBecauseTheLockIsNotHeld() {
    AtomicReference<LifecycleState> seenInListener = new AtomicReference<>();
    manager().subscribe(
        event -> {
          if (event instanceof LifecycleEvent.Started) {
            seenInListener.set(manager.snapshot().state());
          }
        });

    manager.startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));

    await().atMost(Duration.ofSeconds(5)).until(() -> seenInListener.get() != null);
    assertThat(seenInListener.get()).isEqualTo(LifecycleState.RUNNING);
  }

  @Test
  void aLifecycleSubscriberGetsEveryTransitionButNoServiceEvent() {
    Recorder lifecycleOnly = new Recorder();
    manager().subscribeToLifecycle(lifecycleOnly, Runnable::run);
    next.set(
        () ->
            context -> {
              context.events().emit("tick", Map.of("count", 1));
              context.events().emit("tick", Map.of("count", 2));
            });

    manager.start(StartConfig.defaults()).terminated().join();
    recorder.awaitTerminal(1);
    lifecycleOnly.awaitTerminal(1);

    assertThat(recorder.ofType(LifecycleEvent.Custom.class)).hasSize(2);
    assertThat(lifecycleOnly.events())
        .noneMatch(e -> e instanceof LifecycleEvent.Custom)
        .containsExactlyElementsOf(
            recorder.events().stream().filter(e -> !(e instanceof LifecycleEvent.Custom)).toList());
  }

  @Test
  void subscriberGetsTheCurrentStateFirst() {
    manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));
    Recorder late = new Recorder();

    manager.subscribe(late);

    LifecycleEvent first = late.events().get(0);
    assertThat(first).isInstanceOf(LifecycleEvent.Snapshot.class);
    assertThat(((LifecycleEvent.Snapshot) first).snapshot().state())
        .isEqualTo(LifecycleState.RUNNING);
  }

  @Test
  void generationGrowsWithEveryStart() {
    next.set(TestServices::finishing);
    for (int i = 1; i <= 3; i++) {
      RunHandle handle = manager().start(StartConfig.defaults());
      assertThat(handle.generation()).isEqualTo(i);
      handle.terminated().join();
    }
    assertThat(manager.snapshot().generation()).isEqualTo(3);
  }

  @Test
  void closeStopsTheRunAsAppStopAndRefusesNewStarts() {
    RunHandle handle = manager().startAndWait(StartConfig.defaults(), Duration.ofSeconds(5));

    manager.close();
    manager.close(); // idempotent

    assertThat(handle.terminated().join())
        .isEqualTo(new LifecycleEvent.Stopped(1, StopReason.APP_STOP));
    assertThatThrownBy(() -> manager.start(StartConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void invalidLabelsAreRefusedWithTheRule() {
    assertThatThrownBy(() -> LifecycleManager.builder("", TestServices::cooperative))
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> LifecycleManager.builder("a/b", TestServices::cooperative))
        .hasMessageContaining("path separators");
    assertThatThrownBy(() -> LifecycleManager.builder("a..b", TestServices::cooperative))
        .hasMessageContaining("'..'");
  }
}
