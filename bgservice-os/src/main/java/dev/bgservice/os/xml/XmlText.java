package dev.bgservice.os.xml;

/**
 * Escapes text for XML 1.0 element content and attribute values, as used in launchd property
 * lists and Windows Task Scheduler definitions.
 *
 * <p>Characters XML 1.0 cannot carry at all (most control characters, unpaired surrogates,
 * U+FFFE and U+FFFF) are refused rather than dropped, so a path is never silently changed. A
 * carriage return is written as a character reference because parsers turn a literal one into
 * a line feed.
 */
public final class XmlText {

  private XmlText() {}

  /**
   * {@code text} with {@code & < > " '} and carriage returns escaped.
   *
   * @throws IllegalArgumentException when the text holds a character XML 1.0 cannot represent
   */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\r' -> out.append("&#13;");
        case '\t', '\n' -> out.append(c);
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
            throw new IllegalArgumentException(
                String.format(
                    "the text '%s' contains the character U+%04X, which XML cannot carry",
                    text.replaceAll("\\p{Cntrl}", "?"), (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
