package dev.bgservice.service;

/**
 * Shows a notification to the user, best effort: a headless sidecar may have nowhere to show
 * it. Pluggable through the lifecycle manager's builder; the default writes to the log.
 */
@FunctionalInterface
public interface Notifier {

  /** Shows a notification; must not throw for lack of a display. */
  void show(String title, String body);
}
