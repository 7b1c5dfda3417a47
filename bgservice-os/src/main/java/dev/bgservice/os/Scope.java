package dev.bgservice.os;

/** Whose service it is: the current user's, or the machine's. */
public enum Scope {
  /**
   * Runs as the installing user, needs no administrator rights: a systemd user unit, a launchd
   * agent, a Windows logon Scheduled Task, or a detached process.
   */
  USER,
  /**
   * Runs for the whole machine, needs administrator rights to install: a systemd system unit,
   * a launchd daemon, or a Windows service.
   */
  SYSTEM
}
