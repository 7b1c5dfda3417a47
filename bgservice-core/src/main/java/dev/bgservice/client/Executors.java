package dev.bgservice.client;

import java.awt.EventQueue;
import java.util.concurrent.Executor;

/** Executors for delivering a client's events where the app wants them. */
public final class Executors {

  private Executors() {}

  /**
   * Runs each delivery on whichever thread dispatches it: a library thread (a run thread, a
   * client's reader or timer thread) or an application thread blocked in a call of an IPC client,
   * which handles the events that arrived before its answer. The listener must be quick and must
   * not block on the client.
   */
  public static Executor sameThread() {
    return Runnable::run;
  }

  /** Runs each delivery on the Swing/AWT event dispatch thread. */
  public static Executor swingEventThread() {
    return EventQueue::invokeLater;
  }
}
