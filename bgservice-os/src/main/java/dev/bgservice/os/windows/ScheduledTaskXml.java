package dev.bgservice.os.windows;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.WindowsQuoting;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.xml.XmlText;
import java.time.Duration;
import java.util.List;

/**
 * Renders the Task Scheduler definition (schema 1.2) of a per-user sidecar: a task that runs
 * {@code javaw.exe} in the user's session at logon, with no time limit, on battery too, and
 * restarts after a failure. It needs no administrator rights, unlike a Windows service.
 *
 * <p>Task Scheduler expands {@code %NAME%} in the command, arguments and working directory and
 * has no escape for it, so a value with two or more {@code %} is refused. It cannot set
 * environment variables or capture standard output; the sidecar's own log in its state
 * directory is the place to look.
 */
public final class ScheduledTaskXml {
  /** The task folder every bgservice task lives in. */
  public static final String FOLDER = "bgservice";

  private ScheduledTaskXml() {}

  /** The task name of a label: {@code bgservice\<label>}. */
  public static String taskName(String label) {
    return FOLDER + "\\" + label;
  }

  /**
   * The task XML.
   *
   * @param userId the account the task runs as and whose logon triggers it, e.g. {@code
   *     PC\alice}
   */
  public static String render(ServiceDefinition definition, String userId) {
    LaunchSpec launch = definition.launch();
    if (!launch.environment().isEmpty()) {
      throw new IllegalArgumentException(
          "A Scheduled Task cannot set environment variables; pass them as JVM options (-D) instead.");
    }
    RestartPolicy restart = definition.restart();
    List<String> argv = launch.argv(";");
    String command = WindowsPaths.windowless(argv.get(0));
    String arguments = WindowsQuoting.join(argv.subList(1, argv.size()));
    StringBuilder xml = new StringBuilder();
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
    xml.append("<!-- Written by bgservice; `bgs uninstall` removes it. -->\n");
    xml.append("<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n");
    xml.append("  <RegistrationInfo>\n");
    element(xml, 4, "Author", "bgservice");
    element(xml, 4, "Description", definition.description());
    element(xml, 4, "URI", "\\" + taskName(definition.label()));
    xml.append("  </RegistrationInfo>\n");
    if (definition.autostart()) {
      xml.append("  <Triggers>\n");
      xml.append("    <LogonTrigger>\n");
      element(xml, 6, "Enabled", "true");
      // Without a user the trigger would fire at every user's logon.
      element(xml, 6, "UserId", userId);
      xml.append("    </LogonTrigger>\n");
      xml.append("  </Triggers>\n");
    } else {
      xml.append("  <Triggers />\n");
    }
    xml.append("  <Principals>\n");
    xml.append("    <Principal id=\"Author\">\n");
    element(xml, 6, "UserId", userId);
    element(xml, 6, "LogonType", "InteractiveToken");
    element(xml, 6, "RunLevel", "LeastPrivilege");
    xml.append("    </Principal>\n");
    xml.append("  </Principals>\n");
    xml.append("  <Settings>\n");
    element(xml, 4, "MultipleInstancesPolicy", "IgnoreNew");
    element(xml, 4, "DisallowStartIfOnBatteries", "false");
    element(xml, 4, "StopIfGoingOnBatteries", "false");
    element(xml, 4, "AllowHardTerminate", "true");
    element(xml, 4, "StartWhenAvailable", "true");
    element(xml, 4, "RunOnlyIfNetworkAvailable", "false");
    xml.append("    <IdleSettings>\n");
    element(xml, 6, "StopOnIdleEnd", "false");
    element(xml, 6, "RestartOnIdle", "false");
    xml.append("    </IdleSettings>\n");
    element(xml, 4, "AllowStartOnDemand", "true");
    element(xml, 4, "Enabled", "true");
    element(xml, 4, "Hidden", "false");
    element(xml, 4, "RunOnlyIfIdle", "false");
    // The default limit is three days; a service must run indefinitely.
    element(xml, 4, "ExecutionTimeLimit", "PT0S");
    element(xml, 4, "Priority", "7");
    xml.append("    <RestartOnFailure>\n");
    element(xml, 6, "Interval", restartInterval(restart.initialDelay()));
    element(xml, 6, "Count", Integer.toString(Math.min(999, restart.burst())));
    xml.append("    </RestartOnFailure>\n");
    xml.append("  </Settings>\n");
    xml.append("  <Actions Context=\"Author\">\n");
    xml.append("    <Exec>\n");
    element(xml, 6, "Command", unexpandable(command, "the java executable"));
    element(xml, 6, "Arguments", unexpandable(arguments, "the arguments"));
    launch.workingDirectory().ifPresent(dir -> element(xml, 6, "WorkingDirectory", unexpandable(dir.toString(), "the working directory")));
    xml.append("    </Exec>\n");
    xml.append("  </Actions>\n");
    xml.append("</Task>\n");
    return xml.toString();
  }

  /** Task Scheduler accepts restart intervals from one minute up. */
  static String restartInterval(Duration delay) {
    return (delay.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : delay.withNanos(0)).toString();
  }

  private static String unexpandable(String value, String what) {
    if (value.chars().filter(c -> c == '%').count() >= 2) {
      throw new IllegalArgumentException(
          "Task Scheduler would expand %...% in " + what + " as an environment variable and has no"
              + " way to escape it: " + value);
    }
    return value;
  }

  private static void element(StringBuilder xml, int indent, String name, String value) {
    xml.append(" ".repeat(indent))
        .append('<').append(name).append('>')
        .append(XmlText.escape(value))
        .append("</").append(name).append(">\n");
  }
}
