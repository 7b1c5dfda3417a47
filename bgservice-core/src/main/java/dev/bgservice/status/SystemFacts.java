package dev.bgservice.status;

import dev.bgservice.platform.CommandResult;
import dev.bgservice.platform.OperatingSystem;
import dev.bgservice.platform.SystemCommands;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks this machine the facts that decide what the OS-service mode can promise: is there a
 * service manager, does the user's systemd instance answer, is lingering on. Every answer comes
 * from running the real tool through {@link SystemCommands} (read-only queries only); a tool
 * that is missing, fails in an unexpected way or does not answer in time gives an {@link
 * Observation#unknown unknown} observation, never an exception.
 *
 * <p>Nothing is cached: each call asks again, so a fix made by the user shows up at once.
 */
public final class SystemFacts {

  private final OperatingSystem os;
  private final SystemCommands commands;

  /** Facts of a machine running {@code os}, found out with {@code commands}. */
  public SystemFacts(OperatingSystem os, SystemCommands commands) {
    this.os = Objects.requireNonNull(os, "os");
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /** Facts of this machine, with the commands of this process's {@code PATH}. */
  public static SystemFacts current() {
    return new SystemFacts(OperatingSystem.current(), SystemCommands.system());
  }

  /** The operating system these facts are about. */
  public OperatingSystem os() {
    return os;
  }

  /** The runner used to ask. */
  public SystemCommands commands() {
    return commands;
  }

  /** The command-line tool of this platform's service manager, if bgservice knows one. */
  public Optional<String> serviceManagerTool() {
    return switch (os) {
      case LINUX -> Optional.of("systemctl");
      case MACOS -> Optional.of("launchctl");
      case WINDOWS -> Optional.of("sc");
      case OTHER -> Optional.empty();
    };
  }

  /**
   * Whether this platform's service manager tool ({@link #serviceManagerTool()}) is installed.
   * No on a platform for which bgservice knows no service manager.
   */
  public Observation serviceManagerPresent() {
    Optional<String> tool = serviceManagerTool();
    if (tool.isEmpty()) {
      return Observation.no("bgservice knows no service manager on this platform");
    }
    Optional<Path> found = commands.locate(tool.get());
    return found
        .map(p -> Observation.yes("`" + tool.get() + "` found at " + p))
        .orElseGet(() -> Observation.no("`" + tool.get() + "` was not found on the PATH"));
  }

  /**
   * Whether the user's systemd instance answers ({@code systemctl --user is-system-running}):
   * yes when it reports {@code running}, {@code degraded}, {@code starting} or {@code
   * initializing} (it is up and can start units); no when it reports another state or cannot
   * be reached; unknown when {@code systemctl} is missing or does not answer in time, and on
   * other platforms.
   */
  public Observation userServiceManagerRunning() {
    if (os != OperatingSystem.LINUX) {
      return Observation.unknown("a systemd user instance exists only on Linux");
    }
    CommandResult result = commands.run("systemctl", "--user", "is-system-running");
    if (!result.exited()) {
      return Observation.unknown(result.describe());
    }
    String state = result.firstStdoutLine().orElse("");
    return switch (state) {
      case "running", "degraded", "starting", "initializing" ->
          Observation.yes("the systemd user instance is " + state);
      case "" -> Observation.no("the systemd user instance does not answer: " + result.describe());
      default -> Observation.no("the systemd user instance is " + state);
    };
  }

  /**
   * Whether {@code user} has lingering enabled on Linux ({@code loginctl show-user <user>
   * --property=Linger}), so that their systemd instance starts at boot and keeps running after
   * logout. Unknown when {@code loginctl} is missing, fails for another reason or does not
   * answer, and on other platforms.
   */
  public Observation lingering(String user) {
    Objects.requireNonNull(user, "user");
    if (os != OperatingSystem.LINUX) {
      return Observation.unknown("lingering exists only on Linux");
    }
    CommandResult result = commands.run("loginctl", "show-user", user, "--property=Linger");
    if (!result.exited()) {
      return Observation.unknown(result.describe());
    }
    if (!result.succeeded()) {
      // logind only knows users who are logged in or lingering; with LC_ALL=C its message for
      // an unknown user is stable, and it means "not lingering".
      if (result.stderr().contains("not logged in or lingering")) {
        return Observation.no("lingering is off for " + user + " (they are not logged in)");
      }
      return Observation.unknown(result.describe());
    }
    List<String> lines = result.stdout().lines().map(String::trim).toList();
    if (lines.contains("Linger=yes")) {
      return Observation.yes("lingering is on for " + user);
    }
    if (lines.contains("Linger=no")) {
      return Observation.no("lingering is off for " + user);
    }
    return Observation.unknown(
        "`loginctl show-user " + user + "` gave no Linger property: "
            + result.firstStdoutLine().orElse("(no output)"));
  }
}
