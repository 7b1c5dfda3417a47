package dev.bgservice.service;

/**
 * The rules for a service label: the name that identifies one service on this machine (its
 * socket, its state file, its OS unit). These are the base protocol's rules (PROTOCOL.md A.7)
 * plus a ban on control characters, which no file system or service manager handles well.
 */
public final class ServiceLabel {

  private ServiceLabel() {}

  /**
   * Returns {@code label} if it is valid.
   *
   * @throws IllegalArgumentException naming the rule the label breaks
   */
  public static String validate(String label) {
    if (label == null || label.isEmpty()) {
      throw new IllegalArgumentException("service label must not be empty");
    }
    if (label.indexOf('/') >= 0 || label.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "service label must not contain path separators ('/' or '\\'): " + label);
    }
    if (label.contains("..")) {
      throw new IllegalArgumentException("service label must not contain '..': " + label);
    }
    for (int i = 0; i < label.length(); i++) {
      if (Character.isISOControl(label.charAt(i))) {
        throw new IllegalArgumentException(
            "service label must not contain control characters: " + label.replaceAll("\\p{Cntrl}", "?"));
      }
    }
    return label;
  }
}
