package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.error.ErrorCode;
import dev.bgservice.ipc.codec.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** One server per socket: the lock file, stale sockets, live sidecars, symbolic links. */
@Timeout(60)
@EnabledOnOs({OS.LINUX, OS.MAC})
class SingleInstanceTest {

  @TempDir Path dir;
  private TestEngine engine;
  private Path socket;
  private final List<IpcServer> servers = new ArrayList<>();

  @BeforeEach
  void engine() {
    engine = new TestEngine(dir.resolve("data"));
    socket = dir.resolve("s.sock");
  }

  @AfterEach
  void closeAll() {
    servers.forEach(IpcServer::close);
    engine.close();
  }

  private IpcServer server(Path socketPath) {
    IpcServer server = IpcServer.builder(socketPath, engine.client).build();
    synchronized (servers) {
      servers.add(server);
    }
    return server;
  }

  @Test
  void aSecondServerOnALiveSocketIsRefusedWithAClearMessage() throws IOException {
    IpcServer first = server(socket);
    first.start();
    assertThat(Files.exists(first.lockPath())).isTrue();
    BgServiceException refused =
        catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
    assertThat(refused.code()).isEqualTo(ErrorCode.ALREADY_RUNNING);
    assertThat(refused.getMessage()).contains(socket.toString()).doesNotContain("\n");
    // The first server still serves.
    try (WireClient client = WireClient.connect(socket)) {
      assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
    }
    first.close();
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(first.lockPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    // Once it has gone, the path can be served again.
    server(socket).start();
  }

  @Test
  void threadsRacingForOnePathLeaveExactlyOneWinnerEveryTime() throws Exception {
    int contenders = 6;
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    try {
      for (int round = 0; round < 20; round++) {
        Path path = dir.resolve("r" + round + ".sock");
        CyclicBarrier barrier = new CyclicBarrier(contenders);
        List<Future<IpcServer>> attempts = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
          attempts.add(
              pool.submit(
                  () -> {
                    IpcServer server = server(path);
                    barrier.await(10, TimeUnit.SECONDS);
                    try {
                      server.start();
                      return server;
                    } catch (BgServiceException e) {
                      assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_RUNNING);
                      return null;
                    }
                  }));
        }
        List<IpcServer> winners = new ArrayList<>();
        for (Future<IpcServer> attempt : attempts) {
          IpcServer winner = attempt.get();
          if (winner != null) {
            winners.add(winner);
          }
        }
        assertThat(winners).as("winners of round %s", round).hasSize(1);
        winners.get(0).close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void contendersRacingAClosingServerNeverBothWin() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 20; round++) {
        IpcServer holder = server(socket);
        holder.start();
        AtomicReference<IpcServer> winner = new AtomicReference<>();
        List<Future<Integer>> contenders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          contenders.add(
              pool.submit(
                  () -> {
                    int wins = 0;
                    while (winner.get() == null) {
                      IpcServer server = server(socket);
                      try {
                        server.start();
                      } catch (BgServiceException e) {
                        continue; // the holder, or the winner, still has it
                      }
                      wins++;
                      if (!winner.compareAndSet(null, server)) {
                        throw new AssertionError("a second server took the socket");
                      }
                    }
                    return wins;
                  }));
        }
        holder.close();
        int wins = 0;
        for (Future<Integer> contender : contenders) {
          wins += contender.get();
        }
        assertThat(wins).isEqualTo(1);
        try (WireClient client = WireClient.connectV2(socket)) {
          assertThat(
                  client
                      .call(new Request.Hello(2))
                      .data()
                      .orElseThrow()
                      .get("instance")
                      .textValue())
              .isEqualTo(winner.get().instanceId());
        }
        winner.get().close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoSidecarProcessesRacingForOnePathLeaveExactlyOneServing() throws Exception {
    Process a = startChild();
    Process b = startChild();
    try {
      BufferedReader outA = reader(a);
      BufferedReader outB = reader(b);
      assertThat(outA.readLine()).isEqualTo("READY");
      assertThat(outB.readLine()).isEqualTo("READY");
      // Release both at once.
      send(a, "go");
      send(b, "go");
      String resultA = outA.readLine();
      String resultB = outB.readLine();
      List<String> results = List.of(resultA, resultB);
      assertThat(results).filteredOn(r -> r.startsWith("SERVING ")).hasSize(1);
      assertThat(results)
          .filteredOn(r -> r.startsWith("REFUSED "))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r)
                      .startsWith("REFUSED already_running ")
                      .contains(socket.toString())
                      .contains("process "));
      Process winner = resultA.startsWith("SERVING ") ? a : b;
      BufferedReader winnerOut = winner == a ? outA : outB;
      try (WireClient client = WireClient.connect(socket)) {
        assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
      }
      send(winner, "stop");
      assertThat(winnerOut.readLine()).isEqualTo("CLOSED");
      assertThat(a.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(b.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(Files.exists(dir.resolve("s.sock.lock"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
    }
  }

  private Process startChild() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName(),
            socket.toString(),
            dir.resolve("child-data").toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void send(Process process, String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  @Test
  void aStaleSocketFileWithNothingListeningIsTakenOver() throws IOException {
    // A socket file left behind by a process that died: bound, then closed without unlinking.
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(socket));
    dead.close();
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();

    IpcServer server = server(socket);
    server.start();
    try (WireClient client = WireClient.connect(socket)) {
      assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
    }
  }

  @Test
  void aLiveListenerWithoutTheLockIsNeverDisplaced() throws IOException {
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(socket));
      BgServiceException refused =
          catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
      assertThat(refused.code()).isEqualTo(ErrorCode.ALREADY_RUNNING);
      assertThat(refused.getMessage()).contains(socket.toString());
      assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();
      // Nothing is left behind by the refused start.
      assertThat(Files.exists(dir.resolve("s.sock.lock"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
  }

  @Test
  void aSymbolicLinkAtTheSocketPathIsRefusedAndLeftAlone() throws IOException {
    Path target = Files.createFile(dir.resolve("target"));
    Files.createSymbolicLink(socket, target);
    BgServiceException refused =
        catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
    assertThat(refused.getMessage()).contains(socket.toString()).contains("symbolic link");
    assertThat(Files.isSymbolicLink(socket)).isTrue();
    assertThat(Files.exists(target)).isTrue();
  }

  @Test
  void aDanglingSymbolicLinkAtTheSocketPathIsRefused() throws IOException {
    Files.createSymbolicLink(socket, dir.resolve("nowhere.sock"));
    BgServiceException refused =
        catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
    assertThat(refused.getMessage()).contains("symbolic link");
    assertThat(Files.exists(dir.resolve("nowhere.sock"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aSymbolicLinkAtTheLockPathIsRefusedAndItsTargetUntouched() throws IOException {
    Path target = Files.writeString(dir.resolve("precious"), "keep me");
    Files.createSymbolicLink(dir.resolve("s.sock.lock"), target);
    BgServiceException refused =
        catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
    assertThat(refused.getMessage()).contains("s.sock.lock").contains("symbolic link");
    assertThat(Files.readString(target)).isEqualTo("keep me");
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aRegularFileAtTheSocketPathIsRefusedAndKept() throws IOException {
    Files.writeString(socket, "not a socket");
    BgServiceException refused =
        catchThrowableOfType(() -> server(socket).start(), BgServiceException.class);
    assertThat(refused.getMessage()).contains("not a socket");
    assertThat(Files.readString(socket)).isEqualTo("not a socket");
  }

  @Test
  void aTooLongPathIsRefusedNamingTheLimit() {
    Path deep = dir.resolve("x".repeat(120) + ".sock");
    BgServiceException refused =
        catchThrowableOfType(() -> server(deep).start(), BgServiceException.class);
    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(refused.getMessage()).contains("limit");
  }
}
