package dev.bgservice.cli;

import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.OsServices;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.ServiceTarget;
import dev.bgservice.os.command.CommandRunner;
import dev.bgservice.os.naming.InvalidLabelException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which installed OS service a command acts on: its label, user or system scope, the service
 * manager, and where the manager's files are kept. {@code bgs install}, {@code bgs uninstall}
 * and {@code bgs service ...} share these, so the same options find what install wrote.
 */
final class OsServiceOptions {

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ScopeChoice scopeChoice;

  /** {@code --user} or {@code --system}, not both. */
  static final class ScopeChoice {
    @Option(names = "--user", description = "The current user's service (the default).")
    boolean user;

    @Option(names = "--system", description = "A machine-wide service (needs administrator rights).")
    boolean system;
  }

  @Option(
      names = "--label",
      paramLabel = "LABEL",
      defaultValue = TargetOptions.DEFAULT_LABEL,
      description = "Service label, also the OS service name (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(
      names = "--manager",
      paramLabel = "MANAGER",
      converter = ManagerConverter.class,
      description = "Service manager: ${COMPLETION-CANDIDATES} (default: this OS's; detached where it has none).",
      completionCandidates = ManagerConverter.Names.class)
  ServiceManager manager;

  @Option(
      names = "--unit-dir",
      paramLabel = "DIR",
      description = "Keep the service's files in DIR instead of the manager's own directory "
          + "(for tests and packaging; see docs/desktop.md).")
  Path unitDirectory;

  /** The scope chosen; user unless {@code --system}. */
  Scope scope() {
    return scopeChoice != null && scopeChoice.system ? Scope.SYSTEM : Scope.USER;
  }

  /** The manager chosen, else this OS's. */
  ServiceManager manager() {
    return manager != null ? manager : ServiceManager.current();
  }

  /**
   * The facade for these options. (Its dry runs answer a query whose program is missing as a
   * shell would, so that the plan for another OS's manager can still be printed.)
   *
   * @throws ParameterException when the options do not go together
   */
  OsServices services(CommandLine commandLine) {
    OsServices.Builder builder = OsServices.builder()
        .manager(manager())
        .commandRunner(CommandRunner.system());
    if (unitDirectory != null) {
      Path dir = unitDirectory.toAbsolutePath();
      switch (manager()) {
        case SYSTEMD -> builder.systemdUnitDirectory(scope(), dir);
        case LAUNCHD -> builder.launchdDirectories(scope(), dir, dir.resolve("manual"));
        case WINDOWS -> {
          if (scope() == Scope.SYSTEM) {
            throw new ParameterException(commandLine,
                "--unit-dir has no meaning for a Windows service (--system): procrun registers it"
                    + " in the registry.");
          }
          builder.windowsTaskDirectory(dir);
        }
        case DETACHED -> builder.detachedDirectory(dir);
      }
    }
    return builder.build();
  }

  /**
   * The service these options name, after checking that the manager has the scope and can use
   * the label.
   *
   * @throws InvalidLabelException when the manager cannot use the label
   * @throws OsServiceException with {@link dev.bgservice.error.ErrorCode#UNSUPPORTED} when the
   *     manager has no such scope
   */
  ServiceTarget target(OsServices services, boolean dryRun) {
    services.backend(scope()).checkLabel(label);
    ServiceTarget target = new ServiceTarget(label, scope(), false);
    return dryRun ? target.asDryRun() : target;
  }

  /** {@code manager user} as a person reads it, e.g. {@code systemd user}. */
  String describe() {
    return lower(manager()) + " " + lower(scope());
  }

  /** An enum constant as the CLI shows it: {@code NOT_INSTALLED} is {@code not_installed}. */
  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Reads a manager name in lower case, as shown in the help. */
  static final class ManagerConverter implements CommandLine.ITypeConverter<ServiceManager> {
    @Override
    public ServiceManager convert(String value) {
      for (ServiceManager candidate : ServiceManager.values()) {
        if (lower(candidate).equals(value.toLowerCase(Locale.ROOT))) {
          return candidate;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown service manager '" + value + "'; use one of " + String.join(", ", new Names()));
    }

    /** The manager names, for the help. */
    static final class Names implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return Arrays.stream(ServiceManager.values())
            .map(OsServiceOptions::lower)
            .collect(Collectors.toList())
            .iterator();
      }
    }
  }
}
