package dev.bgservice.os.windows;

import java.util.Locale;

/**
 * Path arithmetic on Windows path strings. Done on strings, not {@link java.nio.file.Path}, so
 * that Windows definitions can be generated (and tested) on any OS.
 */
final class WindowsPaths {

  private WindowsPaths() {}

  /** The directory part of a path: everything before the last {@code \} or {@code /}. */
  static String parent(String path) {
    int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
    if (slash <= 0) {
      throw new IllegalArgumentException("not a path with a directory: '" + path + "'");
    }
    return path.substring(0, slash);
  }

  /** The file name part of a path. */
  static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
    return path.substring(slash + 1);
  }

  /**
   * {@code javaw.exe} beside a {@code java.exe}: the same runtime without a console window,
   * for a task that runs in the user's session. Any other launcher name is kept.
   */
  static String windowless(String javaExecutable) {
    String name = fileName(javaExecutable);
    if (name.toLowerCase(Locale.ROOT).equals("java.exe")) {
      return parent(javaExecutable) + "\\javaw.exe";
    }
    return javaExecutable;
  }

  /**
   * The {@code jvm.dll} of the runtime a {@code java.exe} belongs to: {@code
   * <home>\bin\server\jvm.dll} beside {@code <home>\bin\java.exe}.
   */
  static String jvmDll(String javaExecutable) {
    return parent(javaExecutable) + "\\server\\jvm.dll";
  }
}
