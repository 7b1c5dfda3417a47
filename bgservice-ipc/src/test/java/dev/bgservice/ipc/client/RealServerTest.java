package dev.bgservice.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bgservice.client.ConnectionState;
import dev.bgservice.client.Executors;
import dev.bgservice.client.ServiceEvent;
import dev.bgservice.client.StartOptions;
import dev.bgservice.error.AlreadyRunningException;
import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.NotRunningException;
import dev.bgservice.service.ServiceContext;
import dev.bgservice.service.StartConfig;
import dev.bgservice.status.DesiredState;
import dev.bgservice.status.StatusState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent client against the real IPC server over a real in-process engine, in this JVM.
 */
class RealServerTest {

  @TempDir Path dir;

  private RealSidecar sidecar;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void startSidecar() {
    sidecar = new RealSidecar(dir.resolve("svc.sock"), dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    sidecar.close();
  }

  private PersistentIpcClient connectedClient(Duration callTimeout) throws Exception {
    PersistentIpcClient client =
        PersistentIpcClient.builder(dir.resolve("svc.sock"))
            .callTimeout(callTimeout)
            .reconnectPolicy(PersistentIpcClientTest.FAST)
            .build();
    toClose.add(client);
    assertThat(client.waitForConnected(Duration.ofSeconds(10))).isTrue();
    return client;
  }

  private static String tickName(ServiceEvent event) {
    return event instanceof ServiceEvent.Custom c ? c.name() : "";
  }

  @Test
  void everyCallWorksAgainstTheRealServer() throws Exception {
    sidecar.serve();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    assertThat(client.protocolVersion()).isEqualTo(OptionalInt.of(2));
    assertThat(client.sidecarInstance()).contains(sidecar.server().instanceId());

    assertThat(client.isRunning()).isFalse();
    client.start(new StartConfig("Syncing", null, null), StartOptions.DEFAULT.withWaitForInit());
    assertThat(client.isRunning()).isTrue();
    assertThat(client.getState().state()).isEqualTo("running");
    assertThat(client.getLifecycleStatus().state()).isEqualTo(StatusState.RUNNING);
    assertThatThrownBy(() -> client.start(StartConfig.defaults()))
        .isInstanceOf(AlreadyRunningException.class);
    client.stop(Duration.ofSeconds(5));
    assertThat(client.isRunning()).isFalse();
    assertThatThrownBy(client::stop).isInstanceOf(NotRunningException.class);

    client.enableAutoRestart(Optional.of(StartConfig.defaults()));
    assertThat(client.getDesiredState()).map(DesiredState::desiredRunning).contains(true);
    client.disableAutoRestart();
    assertThat(client.getDesiredState()).map(DesiredState::desiredRunning).contains(false);
    assertThat(client.validateSetup()).isNotNull();
  }

  @Test
  void theServicesEventsArriveInOrderWithContiguousSeq() throws Exception {
    sidecar.serve();
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    ServiceContext service = sidecar.awaitRun();
    for (int i = 0; i < 500; i++) {
      service.events().emit("tick", i);
    }
    await().until(() -> recorder.events.stream().filter(e -> tickName(e).equals("tick")).count() == 500);
    List<Long> seqs = recorder.seqs();
    assertThat(seqs.get(0)).isEqualTo(1);
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
    assertThat(recorder.events).anyMatch(e -> e instanceof ServiceEvent.Started);
    assertThat(recorder.eventsOf(ServiceEvent.Custom.class))
        .extracting(c -> c.payload().intValue())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 500).boxed().toList());
  }

  @Test
  void aClientTooSlowForTheServerIsCutOffAndResumesWithoutGapOrDuplicate() throws Exception {
    sidecar.serve(b -> b.outboundQueueLimit(4).replayBufferSize(100_000));
    PersistentIpcClient client = connectedClient(Duration.ofSeconds(10));
    client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    ServiceContext service = sidecar.awaitRun();

    // The listener runs on the reader thread and holds it: the socket fills, then the server's
    // queue for this client overflows and the server disconnects it.
    CountDownLatch release = new CountDownLatch(1);
    Recorder recorder = new Recorder();
    AtomicBoolean blocked = new AtomicBoolean();
    client.subscribe(
        new dev.bgservice.client.ServiceListener() {
          @Override
          public void onEvent(ServiceEvent event) {
            recorder.onEvent(event);
            // Same-thread listeners run on whichever client thread dispatches; hold the reader.
            if (Thread.currentThread().getName().endsWith("-reader")
                && blocked.compareAndSet(false, true)) {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }

          @Override
          public void onConnection(dev.bgservice.client.ConnectionEvent event) {
            recorder.onConnection(event);
          }
        },
        Executors.sameThread());
    String big = "x".repeat(8 * 1024);
    int total = 400;
    for (int i = 0; i < total; i++) {
      service.events().emit("tick", java.util.Map.of("i", i, "pad", big));
    }
    await()
        .alias("the server cut the client off; listener threads: " + new java.util.TreeSet<>(recorder.threads))
        .until(() -> sidecar.server().connectionCount() == 0);
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> recorder.events.stream().filter(e -> tickName(e).equals("tick")).count() >= total);
    assertThat(recorder.eventsOf(ServiceEvent.Resync.class)).isEmpty();
    assertThat(recorder.eventsOf(ServiceEvent.Custom.class))
        .extracting(c -> c.payload().get("i").intValue())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).boxed().toList());
    List<Long> seqs = recorder.seqs();
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
    assertThat(recorder.states()).contains(ConnectionState.DISCONNECTED, ConnectionState.CONNECTED);
  }

  @Test
  void aReplacedServerMeansOneResyncWhileCallsKeepEndingWithinTheirDeadline() throws Exception {
    Duration callTimeout = Duration.ofSeconds(2);
    String firstInstance = sidecar.serve().instanceId();
    PersistentIpcClient client = connectedClient(callTimeout);
    Recorder recorder = new Recorder();
    client.subscribe(recorder, Executors.sameThread());
    client.start(StartConfig.defaults(), StartOptions.DEFAULT.withWaitForInit());
    ServiceContext service = sidecar.awaitRun();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> problem = new AtomicReference<>();
    List<String> failureCodes = new CopyOnWriteArrayList<>();
    AtomicInteger succeeded = new AtomicInteger();
    Thread caller =
        new Thread(
            () -> {
              while (!stop.get()) {
                CompletableFuture<Boolean> call = client.isRunningAsync();
                try {
                  call.get(callTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
                  succeeded.incrementAndGet();
                } catch (ExecutionException e) {
                  if (e.getCause() instanceof BgServiceException b) {
                    failureCodes.add(b.code().value());
                    try {
                      client.waitForConnected(Duration.ofMillis(100));
                    } catch (InterruptedException interrupted) {
                      return;
                    }
                  } else {
                    problem.compareAndSet(null, e.getCause());
                  }
                } catch (TimeoutException e) {
                  problem.compareAndSet(null, new AssertionError("a call hung past its deadline"));
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "test-caller");
    Thread emitter =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                service.events().emit("tick", i++);
                // About a thousand events a second: a steady stream the client keeps up with
                // (an unbounded one would overflow it, which another test covers).
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
              }
            },
            "test-emitter");
    caller.start();
    emitter.start();
    try {
      await().until(() -> succeeded.get() > 20);
      sidecar.serve(); // the old server closes (shuttingDown) and a new instance takes the socket
      String secondInstance = sidecar.server().instanceId();
      assertThat(secondInstance).isNotEqualTo(firstInstance);
      await().atMost(Duration.ofSeconds(10)).until(() -> client.sidecarInstance().equals(Optional.of(secondInstance)));
      int before = succeeded.get();
      await().until(() -> succeeded.get() > before + 20);
    } finally {
      stop.set(true);
      caller.join(30_000);
      emitter.join(30_000);
    }
    assertThat(problem.get()).isNull();
    assertThat(failureCodes).allMatch("ipc_unavailable"::equals);

    await().until(() -> !recorder.eventsOf(ServiceEvent.Resync.class).isEmpty());
    List<ServiceEvent> events = List.copyOf(recorder.events);
    List<ServiceEvent.Resync> resyncs = recorder.eventsOf(ServiceEvent.Resync.class);
    assertThat(resyncs).hasSize(1);
    assertThat(resyncs.get(0).status().state()).isEqualTo(StatusState.RUNNING);
    int at = events.indexOf(resyncs.get(0));
    assertThat(events.subList(0, at)).anyMatch(e -> e instanceof ServiceEvent.ShuttingDown);
    // Each server's stream is contiguous; after the resync, the new server's numbering goes on
    // right after the snapshot.
    assertContiguous(events.subList(0, at));
    List<ServiceEvent> after = events.subList(at + 1, events.size());
    if (!after.isEmpty()) {
      assertThat(after.get(0).seq()).isEqualTo(resyncs.get(0).seq() + 1);
      assertContiguous(after);
    }
  }

  private static void assertContiguous(List<ServiceEvent> events) {
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).seq()).as("event %d", i).isEqualTo(events.get(i - 1).seq() + 1);
    }
  }
}
