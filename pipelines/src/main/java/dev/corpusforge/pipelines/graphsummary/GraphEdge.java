package dev.corpusforge.pipelines.graphsummary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** An edge row as read; direction is kept but the graph is undirected. */
record GraphEdge(String src, String dst) implements Serializable {
  /** The two endpoints, without Java serialisation. */
  static final class Coder extends CustomCoder<GraphEdge> {
    static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(GraphEdge e, OutputStream out) throws IOException {
      STRING.encode(e.src(), out);
      STRING.encode(e.dst(), out);
    }

    @Override
    public GraphEdge decode(InputStream in) throws IOException {
      return new GraphEdge(STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
