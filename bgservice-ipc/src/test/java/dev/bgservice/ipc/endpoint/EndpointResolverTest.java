package dev.bgservice.ipc.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.platform.OperatingSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket path resolution against real directories with real owners and modes. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class EndpointResolverTest {

  @TempDir Path temp;
  private Path runtime;
  private Path tmpdir;
  private Path sharedTmp;
  private long uid;

  @BeforeEach
  void directories() throws IOException {
    uid = CurrentUser.uid();
    runtime = privateDir("run");
    tmpdir = privateDir("tmpdir");
    sharedTmp = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(sharedTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  private EndpointResolver resolver(Map<String, String> env, OperatingSystem os) {
    return new EndpointResolver(env, os, sharedTmp, uid);
  }

  // ------------------------------------------------------------------ default locations

  @Test
  void linuxUsesAPrivateXdgRuntimeDir() throws IOException {
    SocketEndpoint endpoint =
        resolver(Map.of("XDG_RUNTIME_DIR", runtime.toString()), OperatingSystem.LINUX)
            .resolve("sync");
    assertThat(endpoint.socketPath()).isEqualTo(runtime.resolve("sync.sock"));
    assertThat(endpoint.lockPath()).isEqualTo(runtime.resolve("sync.sock.lock"));
    assertThat(endpoint.directory()).isEqualTo(runtime);
  }

  @Test
  void withoutXdgRuntimeDirAPrivateDirectoryIsCreatedInAPrivateTmpdir() throws IOException {
    SocketEndpoint endpoint =
        resolver(Map.of("TMPDIR", tmpdir.toString()), OperatingSystem.LINUX).resolve("sync");
    Path dir = tmpdir.resolve("bgservice-" + uid);
    assertThat(endpoint.socketPath()).isEqualTo(dir.resolve("sync.sock"));
    assertPrivate(dir);
  }

  @Test
  void withoutAPrivateTmpdirTheDirectoryGoesInTheSharedTmp() throws IOException {
    Files.setPosixFilePermissions(tmpdir, PosixFilePermissions.fromString("rwxr-xr-x"));
    SocketEndpoint endpoint =
        resolver(Map.of("TMPDIR", tmpdir.toString()), OperatingSystem.LINUX).resolve("sync");
    Path dir = sharedTmp.resolve("bgservice-" + uid);
    assertThat(endpoint.socketPath()).isEqualTo(dir.resolve("sync.sock"));
    assertPrivate(dir);
  }

  @Test
  void macosIgnoresXdgRuntimeDirAndUsesTmpdir() throws IOException {
    SocketEndpoint endpoint =
        resolver(
                Map.of("XDG_RUNTIME_DIR", runtime.toString(), "TMPDIR", tmpdir.toString()),
                OperatingSystem.MACOS)
            .resolve("sync");
    assertThat(endpoint.socketPath())
        .isEqualTo(tmpdir.resolve("bgservice-" + uid).resolve("sync.sock"));
  }

  @Test
  void anUnusableXdgRuntimeDirFallsBack() throws IOException {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), runtime);
    Path file = Files.createFile(temp.resolve("file"));
    Path fallback = sharedTmp.resolve("bgservice-" + uid).resolve("sync.sock");

    for (String value :
        new String[] {
          "relative/dir",
          "",
          temp.resolve("missing").toString(),
          open.toString(),
          link.toString(),
          file.toString()
        }) {
      assertThat(
              resolver(Map.of("XDG_RUNTIME_DIR", value), OperatingSystem.LINUX)
                  .resolve("sync")
                  .socketPath())
          .as("XDG_RUNTIME_DIR=%s", value)
          .isEqualTo(fallback);
    }
  }

  @Test
  void anXdgRuntimeDirOfAnotherUserIsNotUsed() {
    // A resolver that believes it runs as another uid skips our XDG_RUNTIME_DIR and then
    // refuses the fallback directory it created, which belongs to us and not to "it".
    EndpointException e =
        catchThrowableOfType(
            EndpointException.class,
            () ->
                new EndpointResolver(
                        Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                        OperatingSystem.LINUX,
                        sharedTmp,
                        uid + 1)
                    .resolve("sync"));
    assertThat(e).isNotNull();
    assertThat(e).hasMessageContaining(sharedTmp.resolve("bgservice-" + (uid + 1)).toString());
  }

  @Test
  void anXdgRuntimeDirChownedToAnotherUserFallsBack() throws IOException {
    assumeTrue(uid == 0, "skipped: changing a directory's owner needs root");
    Files.setAttribute(runtime, "unix:uid", 65534);
    SocketEndpoint endpoint =
        resolver(Map.of("XDG_RUNTIME_DIR", runtime.toString()), OperatingSystem.LINUX)
            .resolve("sync");
    assertThat(endpoint.socketPath())
        .isEqualTo(sharedTmp.resolve("bgservice-" + uid).resolve("sync.sock"));
  }

  @Test
  void windowsUsesLocalAppData() throws IOException {
    SocketEndpoint endpoint =
        resolver(Map.of("LOCALAPPDATA", temp.toString()), OperatingSystem.WINDOWS).resolve("sync");
    assertThat(endpoint.socketPath())
        .isEqualTo(temp.resolve("bgservice").resolve("run").resolve("sync.sock"));
    assertThat(Files.isDirectory(endpoint.directory())).isTrue();
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void anExistingDirectoryWithOpenPermissionsIsRefused() throws IOException {
    Path dir = Files.createDirectory(sharedTmp.resolve("bgservice-" + uid));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertRefused("its permissions are rwxrwxrwx, not rwx------");
  }

  @Test
  void aSymbolicLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
    Files.createSymbolicLink(sharedTmp.resolve("bgservice-" + uid), tmpdir);
    assertRefused("it is a symbolic link");
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsRefused() throws IOException {
    Files.createFile(sharedTmp.resolve("bgservice-" + uid));
    assertRefused("it is not a directory");
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws IOException {
    Files.createDirectory(
        sharedTmp.resolve("bgservice-" + uid),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // The directory is ours; a resolver that believes it runs as another uid must refuse it.
    uid = uid + 1;
    Files.createDirectory(
        sharedTmp.resolve("bgservice-" + uid),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    assertRefused("it belongs to uid " + (uid - 1) + ", not to this user (uid " + uid + ")");
  }

  @Test
  void aDirectoryChownedToAnotherUserIsRefused() throws IOException {
    assumeTrue(uid == 0, "skipped: changing a directory's owner needs root");
    Path dir = Files.createDirectory(sharedTmp.resolve("bgservice-" + uid));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(dir, "unix:uid", 65534);
    assertRefused("it belongs to uid 65534");
  }

  private void assertRefused(String reason) {
    EndpointException e =
        catchThrowableOfType(
            EndpointException.class,
            () -> resolver(Map.of(), OperatingSystem.LINUX).resolve("sync"));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(EndpointException.UNSAFE_DIRECTORY);
    assertThat(e)
        .hasMessageStartingWith(
            "Refusing to use the socket directory " + sharedTmp.resolve("bgservice-" + uid))
        .hasMessageContaining(reason)
        .hasMessageEndingWith("; remove it or pass an explicit socket path.");
  }

  // ------------------------------------------------------------------ labels and lengths

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "a\\b", "..", "x..y"})
  void invalidLabelsAreRefused(String label) {
    EndpointException e =
        catchThrowableOfType(
            EndpointException.class,
            () ->
                resolver(Map.of("XDG_RUNTIME_DIR", runtime.toString()), OperatingSystem.LINUX)
                    .resolve(label));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e).hasMessageStartingWith("Service label must not").hasMessageEndingWith(".");
  }

  @Test
  void pathsUpToTheLimitAreAcceptedAndLongerOnesRefusedWithTheLimitNamed() {
    EndpointResolver linux = resolver(Map.of(), OperatingSystem.LINUX);
    EndpointResolver macos = resolver(Map.of(), OperatingSystem.MACOS);
    assertThat(linux.maxPathBytes()).isEqualTo(107);
    assertThat(macos.maxPathBytes()).isEqualTo(103);

    assertThat(linux.explicit(pathOfBytes(107)).socketPath()).isEqualTo(pathOfBytes(107));
    assertThat(macos.explicit(pathOfBytes(103)).socketPath()).isEqualTo(pathOfBytes(103));

    assertTooLong(linux, pathOfBytes(108), "is 108 bytes long, above the linux limit of 107 bytes");
    assertTooLong(macos, pathOfBytes(104), "is 104 bytes long, above the macos limit of 103 bytes");
  }

  @Test
  void theLimitCountsUtf8BytesNotCharacters() {
    EndpointResolver linux = resolver(Map.of(), OperatingSystem.LINUX);
    // 60 two-byte characters: 60 chars but 120 bytes.
    Path path = Path.of("/s/" + "\u00e9".repeat(60) + ".sock");
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    assertThat(path.toString().length()).isLessThan(107);
    assertTooLong(linux, path, "is " + bytes + " bytes long");
  }

  @Test
  void aLongLabelUnderTheDefaultDirectoryIsRefused() {
    EndpointResolver linux =
        resolver(Map.of("XDG_RUNTIME_DIR", runtime.toString()), OperatingSystem.LINUX);
    EndpointException e =
        catchThrowableOfType(EndpointException.class, () -> linux.resolve("x".repeat(120)));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e)
        .hasMessageContaining("limit of 107 bytes")
        .hasMessageContaining("shorter service label");
  }

  @Test
  void explicitPathsAreMadeAbsolute() {
    SocketEndpoint endpoint =
        resolver(Map.of(), OperatingSystem.LINUX).explicit(Path.of("rel.sock"));
    assertThat(endpoint.socketPath()).isEqualTo(Path.of("rel.sock").toAbsolutePath());
    assertThat(endpoint.lockPath().getFileName().toString()).isEqualTo("rel.sock.lock");
    assertThat(endpoint.address().getPath()).isEqualTo(endpoint.socketPath());
  }

  @Test
  void theCurrentUidOwnsTheFilesThisProcessCreates() throws IOException {
    Path file = Files.createFile(temp.resolve("mine"));
    assertThat(((Number) Files.getAttribute(file, "unix:uid")).longValue())
        .isEqualTo(CurrentUser.uid());
  }

  private static void assertTooLong(EndpointResolver resolver, Path path, String expected) {
    EndpointException e =
        catchThrowableOfType(EndpointException.class, () -> resolver.explicit(path));
    assertThat(e).as(path.toString()).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e).hasMessageContaining(expected).hasMessageContaining(path.toString());
  }

  /** An absolute path of exactly {@code bytes} ASCII bytes. */
  private static Path pathOfBytes(int bytes) {
    String prefix = "/s/";
    String suffix = ".sock";
    return Path.of(prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix);
  }

  private Path privateDir(String name) throws IOException {
    return Files.createDirectory(
        temp.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private void assertPrivate(Path dir) throws IOException {
    assertThat(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(((Number) Files.getAttribute(dir, "unix:uid")).longValue()).isEqualTo(uid);
  }
}
