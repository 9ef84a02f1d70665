package dev.corpusforge.annotators.graph;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a sample as GraphML (the format GraphCLIP prompts with): node keys {@code title} and
 * {@code description}, edge key {@code relation}; node ids are the graph's ids. Characters that XML
 * 1.0 cannot hold are replaced by U+FFFD, so any text gives a well-formed document.
 */
public final class GraphMl {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newInstance();

  private GraphMl() {}

  /** One node as GraphML sees it. */
  public record Node(String id, String title, String description) implements java.io.Serializable {}

  public static String write(Node[] nodes, int[] edgeSrc, int[] edgeDst, String relation) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("graphml");
      xml.writeDefaultNamespace("http://graphml.graphdrawing.org/xmlns");
      key(xml, "title", "node");
      key(xml, "description", "node");
      key(xml, "relation", "edge");
      xml.writeCharacters("\n");
      xml.writeStartElement("graph");
      xml.writeAttribute("edgedefault", "undirected");
      xml.writeCharacters("\n");
      for (Node n : nodes) {
        xml.writeStartElement("node");
        xml.writeAttribute("id", clean(n.id()));
        data(xml, "title", n.title());
        data(xml, "description", n.description());
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      for (int i = 0; i < edgeSrc.length; i++) {
        xml.writeStartElement("edge");
        xml.writeAttribute("source", clean(nodes[edgeSrc[i]].id()));
        xml.writeAttribute("target", clean(nodes[edgeDst[i]].id()));
        data(xml, "relation", relation);
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("GraphML writing failed", e);
    }
    return out.toString();
  }

  private static void key(XMLStreamWriter xml, String name, String forWhat)
      throws XMLStreamException {
    xml.writeCharacters("\n");
    xml.writeEmptyElement("key");
    xml.writeAttribute("id", name);
    xml.writeAttribute("for", forWhat);
    xml.writeAttribute("attr.name", name);
    xml.writeAttribute("attr.type", "string");
  }

  private static void data(XMLStreamWriter xml, String key, String value)
      throws XMLStreamException {
    xml.writeStartElement("data");
    xml.writeAttribute("key", key);
    xml.writeCharacters(clean(value == null ? "" : value));
    xml.writeEndElement();
  }

  /** Replaces code points that XML 1.0 does not allow with U+FFFD. */
  static String clean(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int n = Character.charCount(c);
      boolean ok =
          c == 0x9
              || c == 0xA
              || c == 0xD
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok && b == null) {
        b = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (b != null) {
        if (ok) {
          b.appendCodePoint(c);
        } else {
          b.append('\uFFFD');
        }
      }
      i += n;
    }
    return b == null ? s : b.toString();
  }
}
