package dev.bgservice.os;

/** Whether an installed service's process is running, as its service manager reports it. */
public enum RunState {
  /** Nothing is installed under the label. */
  NOT_INSTALLED,
  /** Installed and running. */
  RUNNING,
  /** Installed, not running, and not known to have failed. */
  STOPPED,
  /** Installed and stopped after a failure (or waiting to be restarted after one). */
  FAILED,
  /** The manager gave an answer bgservice does not understand. */
  UNKNOWN
}
