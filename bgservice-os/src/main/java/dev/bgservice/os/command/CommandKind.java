package dev.bgservice.os.command;

/**
 * Whether running a command changes the machine. A dry run still runs {@link #QUERY} commands
 * (so that what it prints is what a real run would do) and only records {@link #CHANGE}
 * commands.
 */
public enum CommandKind {
  /** Reads state only, e.g. {@code systemctl --version} or {@code systemctl is-enabled}. */
  QUERY,
  /** Changes the machine, e.g. {@code systemctl enable} or {@code launchctl bootstrap}. */
  CHANGE
}
