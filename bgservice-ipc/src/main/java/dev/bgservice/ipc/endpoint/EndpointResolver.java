package dev.bgservice.ipc.endpoint;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.service.ServiceLabel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the socket of a service label (PROTOCOL.md A.7).
 *
 * <p>The default location is private to the current user:
 *
 * <ul>
 *   <li>Linux: {@code $XDG_RUNTIME_DIR/<label>.sock} when {@code XDG_RUNTIME_DIR} is an absolute
 *       path to an existing directory (not a symbolic link) owned by this user with no group or
 *       other permissions, as in the base protocol.
 *   <li>Otherwise, and always on macOS: {@code <base>/bgservice-<uid>/<label>.sock}, where {@code
 *       <base>} is {@code $TMPDIR} when it is private in the same sense, else {@code /tmp}. The
 *       {@code bgservice-<uid>} directory is created with mode 0700; an existing one is used only
 *       if it is a real directory owned by this user with mode 0700 (never a symbolic link, never
 *       someone else's, never group- or world-accessible).
 *   <li>Windows: {@code %LOCALAPPDATA%\bgservice\run\<label>.sock}, protected by the ACL of the
 *       user's profile.
 * </ul>
 *
 * <p>An explicit socket path always overrides the default ({@link #explicit}); it is taken as
 * given, apart from the length check. Every path must fit the platform's {@code sun_path}: {@value
 * #LINUX_MAX_PATH_BYTES} bytes on Linux and Windows, {@value #BSD_MAX_PATH_BYTES} on macOS and
 * other systems (the buffer size minus the terminating NUL).
 */
public final class EndpointResolver {

  /** Longest socket path on Linux (and Windows): {@code sun_path} is 108 bytes with the NUL. */
  public static final int LINUX_MAX_PATH_BYTES = 107;

  /** Longest socket path on macOS and the BSDs: {@code sun_path} is 104 bytes with the NUL. */
  public static final int BSD_MAX_PATH_BYTES = 103;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private final Map<String, String> env;
  private final OperatingSystem os;
  private final Path sharedTmp;
  private final Long uid;

  /**
   * A resolver for the given environment variables and operating system, so tests can stand in for
   * both.
   */
  public EndpointResolver(Map<String, String> env, OperatingSystem os) {
    this(env, os, Path.of("/tmp"), null);
  }

  /** For tests: a different shared temporary directory and a different current uid. */
  EndpointResolver(Map<String, String> env, OperatingSystem os, Path sharedTmp, Long uid) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.os = Objects.requireNonNull(os, "os");
    this.sharedTmp = Objects.requireNonNull(sharedTmp, "sharedTmp");
    this.uid = uid;
  }

  /** The resolver for this process: its environment and its operating system. */
  public static EndpointResolver system() {
    return new EndpointResolver(System.getenv(), OperatingSystem.current());
  }

  /** The longest socket path, in bytes, this resolver's operating system accepts. */
  public int maxPathBytes() {
    return os == OperatingSystem.LINUX || os == OperatingSystem.WINDOWS
        ? LINUX_MAX_PATH_BYTES
        : BSD_MAX_PATH_BYTES;
  }

  /**
   * The default endpoint of {@code label}, creating its private directory if needed.
   *
   * @throws EndpointException with code {@code invalid_argument} if the label is invalid or the
   *     path is too long, or {@link EndpointException#UNSAFE_DIRECTORY} if the directory exists but
   *     is not private to this user
   * @throws IOException if the directory cannot be created or inspected
   */
  public SocketEndpoint resolve(String label) throws IOException {
    checkLabel(label);
    return explicit(defaultDirectory().resolve(label + ".sock"));
  }

  /**
   * The endpoint at an explicit socket path, made absolute. Only the length is checked: the caller
   * chose the directory.
   *
   * @throws EndpointException with code {@code invalid_argument} if the path is too long
   */
  public SocketEndpoint explicit(Path socketPath) {
    Path absolute = socketPath.toAbsolutePath();
    int bytes = absolute.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPathBytes()) {
      throw new EndpointException(
          ErrorCode.INVALID_ARGUMENT,
          "The socket path "
              + absolute
              + " is "
              + bytes
              + " bytes long, above the "
              + os.wireName()
              + " limit of "
              + maxPathBytes()
              + " bytes; use a shorter service label or pass a shorter explicit socket path.");
    }
    return new SocketEndpoint(absolute);
  }

  /** The private directory default sockets go in, created if needed and verified. */
  public Path defaultDirectory() throws IOException {
    if (os == OperatingSystem.WINDOWS) {
      return windowsDirectory();
    }
    if (os == OperatingSystem.LINUX) {
      Optional<Path> runtime = privateDirectoryFromEnv("XDG_RUNTIME_DIR");
      if (runtime.isPresent()) {
        return runtime.get();
      }
    }
    Path base = privateDirectoryFromEnv("TMPDIR").orElse(sharedTmp);
    Path dir = base.resolve("bgservice-" + uid());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // Someone made it earlier, perhaps us, perhaps not: the checks below decide.
    }
    checkPrivate(dir);
    return dir;
  }

  private Path windowsDirectory() throws IOException {
    String local = env.get("LOCALAPPDATA");
    Path base =
        local != null && !local.isBlank() && Path.of(local).isAbsolute()
            ? Path.of(local)
            : Path.of(System.getProperty("user.home"), "AppData", "Local");
    return Files.createDirectories(base.resolve("bgservice").resolve("run"));
  }

  /** The directory an environment variable names, if it is usable as a private directory. */
  private Optional<Path> privateDirectoryFromEnv(String variable) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Path dir = Path.of(value);
    if (!dir.isAbsolute()) {
      return Optional.empty();
    }
    try {
      return problemWith(dir).isEmpty() ? Optional.of(dir) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void checkPrivate(Path dir) throws IOException {
    Optional<String> problem = problemWith(dir);
    if (problem.isPresent()) {
      throw new EndpointException(
          EndpointException.UNSAFE_DIRECTORY,
          "Refusing to use the socket directory "
              + dir
              + ": "
              + problem.get()
              + "; remove it or pass an explicit socket path.");
    }
  }

  /** Why {@code dir} is not a directory private to this user, if it is not. */
  private Optional<String> problemWith(Path dir) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.of("it does not exist");
    }
    if (attributes.isSymbolicLink()) {
      return Optional.of("it is a symbolic link");
    }
    if (!attributes.isDirectory()) {
      return Optional.of("it is not a directory");
    }
    long owner =
        ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    if (owner != uid()) {
      return Optional.of("it belongs to uid " + owner + ", not to this user (uid " + uid() + ")");
    }
    Set<PosixFilePermission> extra = EnumSet.copyOf(attributes.permissions());
    extra.removeAll(OWNER_ONLY);
    if (!extra.isEmpty()) {
      return Optional.of(
          "its permissions are "
              + PosixFilePermissions.toString(attributes.permissions())
              + ", not rwx------");
    }
    return Optional.empty();
  }

  private long uid() {
    return uid != null ? uid : CurrentUser.uid();
  }

  private static void checkLabel(String label) {
    try {
      ServiceLabel.validate(label);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new EndpointException(
          ErrorCode.INVALID_ARGUMENT,
          message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1) + ".");
    }
  }
}
