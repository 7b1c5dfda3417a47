package dev.bgservice.ipc.codec;

/**
 * Unpaired UTF-16 surrogates: Java strings may hold them, UTF-8 cannot encode them, and JSON peers
 * such as serde_json reject the escapes (backslash-u-D800 and the like) that would carry them.
 */
final class Utf16 {
  private Utf16() {}

  /** The index of the first unpaired surrogate in {@code s}, or -1 if it is well formed. */
  static int firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code s} with every unpaired surrogate replaced by U+FFFD; {@code s} itself if none. */
  static String wellFormed(String s) {
    int first = firstUnpairedSurrogate(s);
    if (first < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
