package dev.bgservice.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The product's version and the highest wire protocol version it speaks. */
public final class ProductVersion {

  /**
   * The protocol version this build speaks: 2 (PROTOCOL.md part B). A peer that answers
   * {@code hello} with 1 speaks only the base protocol.
   */
  public static final int PROTOCOL_VERSION = 2;

  private static final String VERSION = load();

  private ProductVersion() {}

  /** The bgservice version, e.g. {@code 0.1.0}; {@code development} when unknown. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = ProductVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "development";
      }
      Properties properties = new Properties();
      properties.load(in);
      String value = properties.getProperty("version", "development");
      return value.startsWith("${") ? "development" : value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bgservice version resource", e);
    }
  }
}
