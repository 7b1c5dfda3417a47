package dev.bgservice.service;

import java.nio.file.Path;

/**
 * Everything a run may use, handed to {@link BackgroundService#init} and {@link
 * BackgroundService#run}. One context per run: after the run has ended, its emitter drops
 * events, so a late callback of an old run never reaches the listeners of a newer one.
 */
public interface ServiceContext {

  /** The cooperative shutdown signal of this run. */
  ShutdownToken shutdown();

  /** Emits the service's own events ({@code service{name, payload}} on the wire). */
  EventEmitter events();

  /** Shows user-facing notifications, best effort. */
  Notifier notifier();

  /** The configuration this run was started with. */
  StartConfig config();

  /** The service label: the identity of this service (socket, state file, OS unit). */
  String label();

  /**
   * A directory private to this service for its own files. It exists when this method
   * returns and survives restarts of the service.
   */
  Path dataDirectory();

  /** The generation of this run: 1 for the first start of a manager, one more each start. */
  long generation();
}
