package dev.bgservice.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bgservice.os.InstalledServiceStatus;
import dev.bgservice.os.OsServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bgs service status}: what the service manager says about the installed service. Exits
 * 0 whatever the answer, also when nothing is installed; only a failed query exits 1.
 */
@Command(name = "status", description = "Shows what the service manager says about the installed service.")
final class ServiceStatusCommand extends OsServiceCommand {
  @Option(names = "--json", description = "Print the status as one JSON object.")
  boolean json;

  @Override
  int run() {
    OsServices services = services();
    InstalledServiceStatus status = services.status(target(services, false));
    out().println(json ? toJson(status) : status.summary());
    return ExitCodes.OK;
  }

  /**
   * {@code {"label":..,"manager":"systemd","scope":"user","installed":true,"state":"running",
   * "enabled":false,"pid":42,"detail":".."}}; {@code pid} only when the manager tells.
   */
  static String toJson(InstalledServiceStatus status) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("label", status.label());
    node.put("manager", OsServiceOptions.lower(status.manager()));
    node.put("scope", OsServiceOptions.lower(status.scope()));
    node.put("installed", status.installed());
    node.put("state", OsServiceOptions.lower(status.state()));
    node.put("enabled", status.enabled());
    status.pid().ifPresent(pid -> node.put("pid", pid));
    node.put("detail", status.detail());
    return node.toString();
  }
}
