package dev.bgservice.ipc.endpoint;

import com.sun.security.auth.module.UnixSystem;

/**
 * The numeric identity of the user this JVM runs as, for ownership checks of socket directories
 * (and, on the server, of connecting peers).
 */
public final class CurrentUser {

  private static volatile Long uid;

  private CurrentUser() {}

  /**
   * This process's numeric user id on a Unix-like system. This is the real uid; files this process
   * creates belong to the effective uid, which differs only for set-user-id programs, and a
   * mismatch makes ownership checks fail closed.
   *
   * @throws UnsupportedOperationException on a system without Unix user ids (Windows)
   */
  public static long uid() {
    Long known = uid;
    if (known == null) {
      try {
        known = new UnixSystem().getUid();
      } catch (LinkageError e) {
        throw new UnsupportedOperationException("this system has no Unix user ids", e);
      }
      uid = known;
    }
    return known;
  }
}
