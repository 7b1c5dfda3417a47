package dev.bgservice.os;

import dev.bgservice.os.host.Host;

/**
 * One service manager. Every method acts through the given {@link Host}, which writes files
 * and runs commands, or in a dry run only records them; a backend never touches the machine
 * any other way (reading its own files aside).
 */
public interface ServiceBackend {

  /** Which manager this is. */
  ServiceManager manager();

  /** User or system. */
  Scope scope();

  /**
   * Checks {@code label} can name a service of this manager.
   *
   * @throws dev.bgservice.os.naming.InvalidLabelException naming the rule it breaks
   */
  void checkLabel(String label);

  /**
   * Writes the service definition and registers it; starts it when {@code startNow}. Installing
   * over an existing service of the same label replaces it.
   */
  void install(ServiceDefinition definition, boolean startNow, Host host);

  /** Stops the service if running and removes everything {@link #install} created. */
  void uninstall(String label, Host host);

  /** Starts the installed service; nothing happens if it is running. */
  void start(String label, Host host);

  /** Stops the service; nothing happens if it is not running. */
  void stop(String label, Host host);

  /** Stops the service if running, then starts it. */
  void restart(String label, Host host);

  /** What the manager says about the service; never throws for a missing service. */
  InstalledServiceStatus status(String label, Host host);

  /** Whether the service is installed and starts at login or boot. */
  boolean isEnabled(String label, Host host);
}
