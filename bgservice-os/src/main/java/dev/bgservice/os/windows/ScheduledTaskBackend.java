package dev.bgservice.os.windows;

import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.RunState;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceBackend;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.ServiceManager;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandKind;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.command.CommandSyntax;
import dev.bgservice.os.host.Host;
import dev.bgservice.os.naming.NamingRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-user Windows sidecar: a Task Scheduler task that runs at the user's logon, for users
 * who are not administrators (a Windows service needs one to install and runs under a service
 * account, not as the user). See {@link ScheduledTaskXml} for what is registered. The task XML
 * is kept in a directory of its own (redirectable), and registered with {@code schtasks}.
 */
public final class ScheduledTaskBackend implements ServiceBackend {
  private static final Pattern STATUS = Pattern.compile("^Status:\\s*(.+)$", Pattern.MULTILINE);
  private static final Pattern LAST_RESULT = Pattern.compile("^Last Result:\\s*(-?\\d+)", Pattern.MULTILINE);

  private final Path taskDirectory;
  private final String userId;

  /**
   * A backend writing task XML to {@code taskDirectory}, for the account {@code userId} (e.g.
   * {@code PC\alice}: {@code %USERDOMAIN%\%USERNAME%}).
   */
  public ScheduledTaskBackend(Path taskDirectory, String userId) {
    this.taskDirectory = Objects.requireNonNull(taskDirectory, "taskDirectory");
    this.userId = Objects.requireNonNull(userId, "userId");
    if (userId.isBlank()) {
      throw new IllegalArgumentException("the Windows user id must not be blank");
    }
  }

  @Override
  public ServiceManager manager() {
    return ServiceManager.WINDOWS;
  }

  @Override
  public Scope scope() {
    return Scope.USER;
  }

  /** Where the task XML of a label is kept. */
  public Path taskFile(String label) {
    return taskDirectory.resolve(label + ".xml");
  }

  @Override
  public void checkLabel(String label) {
    NamingRules.checkWindows(label);
  }

  @Override
  public void install(ServiceDefinition definition, boolean startNow, Host host) {
    String label = definition.label();
    checkLabel(label);
    String xml = ScheduledTaskXml.render(definition, userId);
    definition.launch().workingDirectory().ifPresent(host::createDirectories);
    Path file = taskFile(label);
    // schtasks reads task XML as UTF-16 with a byte order mark.
    host.write(file, "\uFEFF" + xml, StandardCharsets.UTF_16LE);
    if (startNow && exists(label, host)) {
      host.run(schtasks("/End", "/TN", ScheduledTaskXml.taskName(label)));
    }
    host.runChecked(schtasks("/Create", "/TN", ScheduledTaskXml.taskName(label), "/XML", file.toString(), "/F"));
    host.note("standard output is not captured by Task Scheduler; the sidecar logs to its state directory");
    if (startNow) {
      host.runChecked(schtasks("/Run", "/TN", ScheduledTaskXml.taskName(label)));
    }
  }

  @Override
  public void uninstall(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    host.run(schtasks("/End", "/TN", ScheduledTaskXml.taskName(label)));
    host.runChecked(schtasks("/Delete", "/TN", ScheduledTaskXml.taskName(label), "/F"));
    host.delete(taskFile(label));
  }

  @Override
  public void start(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    host.runChecked(schtasks("/Run", "/TN", ScheduledTaskXml.taskName(label)));
  }

  @Override
  public void stop(String label, Host host) {
    checkLabel(label);
    requireExists(label, host);
    // Task Scheduler ends the process without a console signal; the sidecar's state survives
    // because it persists desired state before acting.
    host.run(schtasks("/End", "/TN", ScheduledTaskXml.taskName(label)));
  }

  @Override
  public void restart(String label, Host host) {
    stop(label, host);
    start(label, host);
  }

  @Override
  public InstalledServiceStatus status(String label, Host host) {
    checkLabel(label);
    CommandResult query =
        host.run(schtasksQuery("/Query", "/TN", ScheduledTaskXml.taskName(label), "/FO", "LIST", "/V"));
    if (!query.succeeded()) {
      return new InstalledServiceStatus(
          label, manager(), scope(), RunState.NOT_INSTALLED, false, OptionalLong.empty(), "");
    }
    Matcher status = STATUS.matcher(query.stdout());
    Matcher lastResult = LAST_RESULT.matcher(query.stdout());
    String statusText = status.find() ? status.group(1).strip() : "";
    String result = lastResult.find() ? lastResult.group(1) : "";
    RunState state;
    if (statusText.equals("Running")) {
      state = RunState.RUNNING;
    } else if (!result.isEmpty() && !result.equals("0") && !result.equals("267011")) {
      // 267011 (0x41303) means "has not run yet", not a failure.
      state = RunState.FAILED;
    } else if (statusText.isEmpty()) {
      state = RunState.UNKNOWN;
    } else {
      state = RunState.STOPPED;
    }
    return new InstalledServiceStatus(
        label, manager(), scope(), state, isEnabled(label, host), OptionalLong.empty(),
        statusText + (result.isEmpty() ? "" : ", last result " + result));
  }

  @Override
  public boolean isEnabled(String label, Host host) {
    checkLabel(label);
    CommandResult xml = host.run(schtasksQuery("/Query", "/TN", ScheduledTaskXml.taskName(label), "/XML"));
    return xml.succeeded() && xml.stdout().contains("<LogonTrigger>");
  }

  private boolean exists(String label, Host host) {
    return host.run(schtasksQuery("/Query", "/TN", ScheduledTaskXml.taskName(label))).succeeded();
  }

  private void requireExists(String label, Host host) {
    if (!exists(label, host)) {
      throw OsServiceException.notInstalled(label, "Task Scheduler (" + ScheduledTaskXml.taskName(label) + ")");
    }
  }

  private static Command schtasks(String... args) {
    return command(CommandKind.CHANGE, args);
  }

  private static Command schtasksQuery(String... args) {
    return command(CommandKind.QUERY, args);
  }

  private static Command command(CommandKind kind, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("schtasks.exe");
    argv.addAll(List.of(args));
    return new Command(argv, kind, CommandSyntax.WINDOWS);
  }
}
