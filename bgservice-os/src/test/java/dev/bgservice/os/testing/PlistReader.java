package dev.bgservice.os.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads an XML property list with the JDK's XML parser into plain Java values: dict to map,
 * array to list, string to string, integer to long, true/false to boolean. The DTD is not
 * fetched (no network in tests).
 */
public final class PlistReader {
  private PlistReader() {}

  /** The top-level dict of {@code xml}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(String xml) throws Exception {
    Document document = parse(xml);
    Element plist = document.getDocumentElement();
    if (!plist.getTagName().equals("plist")) {
      throw new IllegalArgumentException("not a plist: <" + plist.getTagName() + ">");
    }
    return (Map<String, Object>) value(children(plist).get(0));
  }

  /** A namespace-unaware, DTD-ignoring DOM parse. */
  public static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setValidating(false);
    factory.setIgnoringComments(true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static Object value(Element element) {
    switch (element.getTagName()) {
      case "dict": {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Element> items = children(element);
        for (int i = 0; i + 1 < items.size(); i += 2) {
          map.put(items.get(i).getTextContent(), value(items.get(i + 1)));
        }
        return map;
      }
      case "array": {
        List<Object> list = new ArrayList<>();
        children(element).forEach(e -> list.add(value(e)));
        return list;
      }
      case "string":
        return element.getTextContent();
      case "integer":
        return Long.parseLong(element.getTextContent().strip());
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("unexpected plist element <" + element.getTagName() + ">");
    }
  }

  /** The element children of a node, in order. */
  public static List<Element> children(Node node) {
    List<Element> elements = new ArrayList<>();
    for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }
}
