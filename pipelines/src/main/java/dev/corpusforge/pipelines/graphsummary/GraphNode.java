package dev.corpusforge.pipelines.graphsummary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A node row as read: {@code ref} is where ({@code file#row}), {@code text} may be empty, {@code
 * label} null.
 */
record GraphNode(String ref, String id, String text, String label) implements Serializable {
  /** File order: by file, then row number (numerically). */
  static int compareRefs(String a, String b) {
    int ha = a.lastIndexOf('#');
    int hb = b.lastIndexOf('#');
    int byFile = a.substring(0, ha).compareTo(b.substring(0, hb));
    return byFile != 0
        ? byFile
        : Long.compare(Long.parseLong(a.substring(ha + 1)), Long.parseLong(b.substring(hb + 1)));
  }

  /**
   * The four strings, without Java serialisation (which writes the class's description with every
   * element: most of the bytes, and most of the time, of the graph's shuffles).
   */
  static final class Coder extends CustomCoder<GraphNode> {
    static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final NullableCoder<String> NULLABLE = NullableCoder.of(STRING);

    @Override
    public void encode(GraphNode n, OutputStream out) throws IOException {
      STRING.encode(n.ref(), out);
      STRING.encode(n.id(), out);
      STRING.encode(n.text(), out);
      NULLABLE.encode(n.label(), out);
    }

    @Override
    public GraphNode decode(InputStream in) throws IOException {
      return new GraphNode(
          STRING.decode(in), STRING.decode(in), STRING.decode(in), NULLABLE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
