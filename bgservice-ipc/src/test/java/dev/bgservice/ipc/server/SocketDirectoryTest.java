package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.error.BgServiceException;
import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.endpoint.CurrentUser;
import dev.bgservice.ipc.endpoint.EndpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The socket directory: created 0700, refused unless private to the server's user. */
@Timeout(30)
@EnabledOnOs({OS.LINUX, OS.MAC})
class SocketDirectoryTest {

  @TempDir Path dir;
  private TestEngine engine;
  private IpcServer server;

  @BeforeEach
  void engine() {
    engine = new TestEngine(dir.resolve("data"));
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    engine.close();
  }

  private IpcServer start(Path socket, boolean explicitPath) {
    server = IpcServer.builder(socket, engine.client).explicitPath(explicitPath).build();
    server.start();
    return server;
  }

  @Test
  void aMissingDirectoryIsCreatedPrivateAndTheSocketIsOwnerOnly() throws IOException {
    Path socketDir = dir.resolve("run").resolve("bgs");
    start(socketDir.resolve("s.sock"), false);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run"))))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(
                    socketDir.resolve("s.sock"), LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(
                    socketDir.resolve("s.sock.lock"), LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
    try (WireClient client = WireClient.connect(socketDir.resolve("s.sock"))) {
      assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
    }
  }

  @Test
  void aDirectoryReadableByOthersIsRefusedUnlessTheUserChoseThePath() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    EndpointException refused =
        catchThrowableOfType(() -> start(shared.resolve("s.sock"), false), EndpointException.class);
    assertThat(refused.code()).isEqualTo(EndpointException.UNSAFE_DIRECTORY);
    assertThat(refused.getMessage()).contains(shared.toString()).contains("rwxr-xr-x");
    assertThat(Files.exists(shared.resolve("s.sock.lock"))).isFalse();

    start(shared.resolve("s.sock"), true);
    try (WireClient client = WireClient.connect(shared.resolve("s.sock"))) {
      assertThat(client.call(new Request.IsRunning()).ok()).isTrue();
    }
  }

  @Test
  void aDirectoryWritableByOthersIsRefusedEvenWhenChosen() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    EndpointException refused =
        catchThrowableOfType(() -> start(open.resolve("s.sock"), true), EndpointException.class);
    assertThat(refused.getMessage()).contains("write");
  }

  @Test
  void aSymbolicLinkAsTheDirectoryIsRefused() throws IOException {
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    EndpointException refused =
        catchThrowableOfType(() -> start(link.resolve("s.sock"), false), EndpointException.class);
    assertThat(refused.getMessage()).contains("symbolic link");
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws IOException {
    assumeTrue(CurrentUser.uid() == 0, "only root can make a directory owned by another user");
    Path foreign = Files.createDirectory(dir.resolve("foreign"));
    Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(foreign, "unix:uid", 65534);
    BgServiceException refused =
        catchThrowableOfType(
            () -> start(foreign.resolve("s.sock"), true), BgServiceException.class);
    assertThat(refused.getMessage()).contains("uid 65534");
  }
}
