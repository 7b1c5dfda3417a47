package dev.bgservice.ipc.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Creates the server's threads, all daemons named {@code bgservice-ipc-...}, and remembers those
 * that have not ended, so that closing the server can wait until none is left.
 */
final class ServerThreads {

  private final Set<Thread> alive = ConcurrentHashMap.newKeySet();

  /** A new, not yet started daemon thread named {@code bgservice-ipc-<name>}. */
  Thread newThread(String name, Runnable body) {
    Thread[] self = new Thread[1];
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } finally {
                alive.remove(self[0]);
              }
            },
            "bgservice-ipc-" + name);
    self[0] = thread;
    thread.setDaemon(true);
    alive.add(thread);
    return thread;
  }

  /**
   * Waits until every thread created here has ended (or was never started), at the latest until
   * {@code deadlineNanos} on the {@link System#nanoTime()} clock.
   *
   * @return whether none is left
   */
  boolean awaitAllEnded(long deadlineNanos) throws InterruptedException {
    while (true) {
      List<Thread> left = new ArrayList<>(alive);
      if (left.isEmpty()) {
        return true;
      }
      for (Thread thread : left) {
        if (thread.getState() == Thread.State.NEW) {
          alive.remove(thread); // created but never started: it will never run
          continue;
        }
        long wait = deadlineNanos - System.nanoTime();
        if (wait <= 0) {
          return alive.isEmpty();
        }
        TimeUnit.NANOSECONDS.timedJoin(thread, wait);
        if (!thread.isAlive()) {
          alive.remove(thread);
        }
      }
    }
  }
}
