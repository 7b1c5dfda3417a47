package dev.bgservice.os.launchd;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.xml.XmlText;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Renders the launchd property list of a service (launchd.plist(5)): a pure function of the
 * definition and scope, so it can be tested byte for byte.
 *
 * <p>{@code KeepAlive} with {@code SuccessfulExit=false} restarts the sidecar only when it
 * exits with an error, after at least {@code ThrottleInterval} seconds. launchd documents that
 * this key implies {@code RunAtLoad}: loading the job starts it, which is why a service without
 * autostart keeps its plist outside the directories launchd loads at login.
 */
public final class LaunchdPlist {

  private LaunchdPlist() {}

  /** The plist text. */
  public static String render(ServiceDefinition definition, Scope scope) {
    LaunchSpec launch = definition.launch();
    RestartPolicy restart = definition.restart();
    StringBuilder xml = new StringBuilder();
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"")
        .append(" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
    // The label stays out of the comment: XML comments cannot hold "--", which a label can.
    xml.append("<!-- Written by bgservice; `bgs uninstall` removes it. -->\n");
    xml.append("<plist version=\"1.0\">\n<dict>\n");
    string(xml, "Label", definition.label());
    array(xml, "ProgramArguments", launch.argv(":"));
    launch.workingDirectory().ifPresent(dir -> string(xml, "WorkingDirectory", dir.toString()));
    if (!launch.environment().isEmpty()) {
      key(xml, "EnvironmentVariables");
      xml.append("\t<dict>\n");
      for (Map.Entry<String, String> variable : launch.environment().entrySet()) {
        xml.append("\t\t<key>").append(XmlText.escape(variable.getKey())).append("</key>\n");
        xml.append("\t\t<string>").append(XmlText.escape(variable.getValue())).append("</string>\n");
      }
      xml.append("\t</dict>\n");
    }
    if (scope == Scope.SYSTEM) {
      definition.runAs().ifPresent(user -> string(xml, "UserName", user));
    }
    bool(xml, "RunAtLoad", definition.autostart());
    key(xml, "KeepAlive");
    xml.append("\t<dict>\n");
    xml.append("\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n");
    xml.append("\t</dict>\n");
    integer(xml, "ThrottleInterval", wholeSeconds(restart.initialDelay()));
    integer(xml, "ExitTimeOut", wholeSeconds(restart.stopTimeout()));
    launch.stdoutLog().ifPresent(p -> string(xml, "StandardOutPath", p.toString()));
    launch.stderrLog().ifPresent(p -> string(xml, "StandardErrorPath", p.toString()));
    xml.append("</dict>\n</plist>\n");
    return xml.toString();
  }

  /** launchd counts in whole seconds; round up so a delay is never shortened. */
  private static long wholeSeconds(Duration duration) {
    return Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  private static void key(StringBuilder xml, String key) {
    xml.append("\t<key>").append(key).append("</key>\n");
  }

  private static void string(StringBuilder xml, String key, String value) {
    key(xml, key);
    xml.append("\t<string>").append(XmlText.escape(value)).append("</string>\n");
  }

  private static void bool(StringBuilder xml, String key, boolean value) {
    key(xml, key);
    xml.append(value ? "\t<true/>\n" : "\t<false/>\n");
  }

  private static void integer(StringBuilder xml, String key, long value) {
    key(xml, key);
    xml.append("\t<integer>").append(value).append("</integer>\n");
  }

  private static void array(StringBuilder xml, String key, List<String> values) {
    key(xml, key);
    xml.append("\t<array>\n");
    for (String value : values) {
      xml.append("\t\t<string>").append(XmlText.escape(value)).append("</string>\n");
    }
    xml.append("\t</array>\n");
  }
}
