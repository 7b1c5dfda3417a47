package dev.bgservice.os.windows;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceBackend;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.naming.NamingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Windows service registered with procrun (system scope; installing needs an administrator).
 * See {@link ProcrunCommands} for what is registered. Control and status go through {@code
 * sc.exe}.
 */
public final class WindowsServiceBackend implements ServiceBackend {
  /** {@code ERROR_SERVICE_DOES_NOT_EXIST}, the exit status of {@code sc.exe} for a missing service. */
  static final int SERVICE_DOES_NOT_EXIST = 1060;
  /** {@code ERROR_SERVICE_ALREADY_RUNNING}. */
  static final int SERVICE_ALREADY_RUNNING = 1056;
  /** {@code ERROR_SERVICE_NOT_ACTIVE}. */
  static final int SERVICE_NOT_ACTIVE = 1062;

  private static final Pattern STATE = Pattern.compile("STATE\\s*:\\s*\\d+\\s+(\\w+)");
  private static final Pattern PID = Pattern.compile("PID\\s*:\\s*(\\d+)");
  private static final Pattern START_TYPE = Pattern.compile("START_TYPE\\s*:\\s*\\d+\\s+(\\w+)");

  private final Path prunsrv;

  /**
   * A backend using the given {@code prunsrv.exe} (e.g. {@code amd64\prunsrv.exe} from
   * commons-daemon's {@code bin-windows} zip), which must stay where it is: the service runs it.
   */
  public WindowsServiceBackend(Path prunsrv) {
    this.prunsrv = Objects.requireNonNull(prunsrv, "prunsrv");
  }

  @Override
  public ServiceManager manager() {
    return ServiceManager.WINDOWS;
  }

  @Override
  public Scope scope() {
    return Scope.SYSTEM;
  }

  @Override
  public void checkLabel(String label) {
    NamingRules.checkWindows(label);
  }

  @Override
  public void install(ServiceDefinition definition, boolean startNow, Host host) {
    String label = definition.label();
    checkLabel(label);
    if (!Files.isRegularFile(prunsrv)) {
      String message = "prunsrv.exe was not found at " + prunsrv + "; get it from the commons-daemon"
          + " bin-windows zip on Maven Central (commons-daemon:commons-daemon, classifier bin-windows)";
      if (!host.isDryRun()) {
        throw new OsServiceException(OsServiceException.VALIDATION_FAILED, message);
      }
      host.note(message);
    }
    ClassPathTarget target = ProcrunCommands.classPathTarget(definition.launch().target());
    definition.launch().workingDirectory().ifPresent(host::createDirectories);
    definition.launch().stdoutLog().ifPresent(host::createParentDirectories);
    boolean exists = exists(label, host);
    if (exists) {
      host.runChecked(ProcrunCommands.update(definition, prunsrv.toString(), target));
    } else {
      host.runChecked(ProcrunCommands.install(definition, prunsrv.toString(), target));
    }
    host.runChecked(ProcrunCommands.failureActions(label, definition.restart()));
    host.runChecked(ProcrunCommands.failureFlag(label));
    if (startNow) {
      if (exists) {
        stopIfRunning(label, host);
      }
      // Not start(): in a dry run the service it would have registered does not exist.
      startRegistered(label, host);
    }
  }

  @Override
  public void uninstall(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    host.runChecked(ProcrunCommands.delete(label, prunsrv.toString()));
  }

  @Override
  public void start(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    startRegistered(label, host);
  }

  private void startRegistered(String label, Host host) {
    CommandResult result = host.run(ProcrunCommands.sc("start", label));
    if (!result.succeeded() && result.exitCode() != SERVICE_ALREADY_RUNNING) {
      result.requireSuccess(ProcrunCommands.sc("start", label));
    }
  }

  @Override
  public void stop(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    stopIfRunning(label, host);
  }

  @Override
  public void restart(String label, Host host) {
    stop(label, host);
    start(label, host);
  }

  @Override
  public InstalledServiceStatus status(String label, Host host) {
    checkLabel(label);
    CommandResult query = host.run(ProcrunCommands.scQuery("queryex", label));
    if (query.exitCode() == SERVICE_DOES_NOT_EXIST) {
      return new InstalledServiceStatus(
          label, manager(), scope(), RunState.NOT_INSTALLED, false, OptionalLong.empty(), "");
    }
    Matcher state = STATE.matcher(query.stdout());
    Matcher pid = PID.matcher(query.stdout());
    String stateName = state.find() ? state.group(1) : "";
    RunState runState =
        switch (stateName) {
          case "RUNNING", "START_PENDING", "CONTINUE_PENDING" -> RunState.RUNNING;
          case "STOPPED", "STOP_PENDING", "PAUSED", "PAUSE_PENDING" -> RunState.STOPPED;
          default -> RunState.UNKNOWN;
        };
    long processId = pid.find() ? Long.parseLong(pid.group(1)) : 0;
    return new InstalledServiceStatus(
        label,
        manager(),
        scope(),
        runState,
        isEnabled(label, host),
        processId > 0 ? OptionalLong.of(processId) : OptionalLong.empty(),
        stateName.isEmpty() ? query.firstMessageLine() : stateName);
  }

  @Override
  public boolean isEnabled(String label, Host host) {
    checkLabel(label);
    CommandResult config = host.run(ProcrunCommands.scQuery("qc", label));
    Matcher startType = START_TYPE.matcher(config.stdout());
    return config.succeeded() && startType.find() && startType.group(1).equals("AUTO_START");
  }

  private void stopIfRunning(String label, Host host) {
    CommandResult result = host.run(ProcrunCommands.sc("stop", label));
    if (!result.succeeded() && result.exitCode() != SERVICE_NOT_ACTIVE) {
      result.requireSuccess(ProcrunCommands.sc("stop", label));
    }
  }

  private boolean exists(String label, Host host) {
    CommandResult query = host.run(ProcrunCommands.scQuery("query", label));
    // Any other failure may hide a service that exists. No sc.exe at all happens only in a dry run
    // made on another OS, whose plan is then the one for a new service.
    return query.exitCode() != SERVICE_DOES_NOT_EXIST && !query.programWasNotFound();
  }

  private void requireExists(String label, Host host) {
    if (!exists(label, host)) {
      throw OsServiceException.notInstalled(label, "the Windows services (sc.exe query " + label + ")");
    }
  }
}
