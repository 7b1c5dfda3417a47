package dev.bgservice.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.ipc.codec.Request;
import dev.bgservice.ipc.endpoint.CurrentUser;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the server's user may talk to it. The test runs a client as another uid, after opening the
 * directory and the socket file to it, so the connect reaches the server and only the peer check
 * stands in its way.
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX)
class PeerCredentialsTest {

  @TempDir Path dir;

  @Test
  void aConnectionFromAnotherUserIsClosedWithoutAnAnswer() throws Exception {
    if (CurrentUser.uid() != 0) {
      System.out.println("SKIPPED: running a client as another uid needs root");
      assumeTrue(false, "needs root to run a client as another uid");
    }
    Path setpriv = findOnPath("setpriv");
    if (setpriv == null) {
      System.out.println("SKIPPED: setpriv is not installed");
      assumeTrue(false, "setpriv is not installed");
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Path socketDir = Files.createDirectory(dir.resolve("run"));
    Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx--x--x"));
    Path client = dir.resolve("PeerClient.java");
    try (InputStream source =
        PeerCredentialsTest.class.getResourceAsStream("/PeerClient.java.txt")) {
      Files.copy(source, client);
    }
    Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rw-r--r--"));

    try (TestEngine engine = new TestEngine(dir.resolve("data"));
        IpcServer server =
            IpcServer.builder(socketDir.resolve("s.sock"), engine.client)
                .explicitPath(true)
                .build()) {
      server.start();
      // Open the socket file too, so the kernel lets the connect through to the server.
      Files.setPosixFilePermissions(
          server.socketPath(), PosixFilePermissions.fromString("rw-rw-rw-"));

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process =
          new ProcessBuilder(
                  setpriv.toString(),
                  "--reuid=65534",
                  "--regid=65534",
                  "--clear-groups",
                  java,
                  "-Xshare:auto",
                  client.toString(),
                  server.socketPath().toString())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output).as("client output").contains("CLOSED_WITHOUT_ANSWER");
      assertThat(process.exitValue()).isZero();

      // The server's own user is still served.
      try (WireClient owner = WireClient.connect(server.socketPath())) {
        assertThat(owner.call(new Request.IsRunning()).ok()).isTrue();
      }
    }
  }

  private static Path findOnPath(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, program);
      if (Files.isExecutable(candidate)
          && !Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
    }
    return null;
  }
}
