package dev.corpusforge.pipelines.graphsummary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The graph's rows cross shuffles with coders of their own, not Java serialisation. */
class GraphCodersTest {
  private static final GraphNode NODE =
      new GraphNode("nodes.jsonl#12", "libc6", "GNU C Library: Shared libraries — ünïcode", null);

  @Test
  void nodesEdgesAndPartsComeBackEqual() throws Exception {
    for (GraphNode n :
        List.of(
            NODE, new GraphNode("n.csv#1", "a", "", "label"), new GraphNode("x#0", "b", "t", ""))) {
      assertEquals(n, roundTrip(GraphNode.Coder.INSTANCE, n));
    }
    GraphEdge e = new GraphEdge("libc6", "libgcc-s1");
    assertEquals(e, roundTrip(GraphEdge.Coder.INSTANCE, e));
    for (GraphBuild.Part p :
        List.of(
            new GraphBuild.Part(NODE, null, null),
            new GraphBuild.Part(null, e, null),
            new GraphBuild.Part(null, null, "edge_malformed_row"))) {
      assertEquals(p, roundTrip(GraphBuild.Part.Coder.INSTANCE, p));
    }
  }

  @Test
  void exportEntriesComeBackWithTheirEdgesAndSummary() throws Exception {
    GraphClipExport.Entry e =
        new GraphClipExport.Entry(
            63_435, new int[] {63_435, 7, 0}, new int[] {7, 300_000, 63_435}, "Summary — ü.");
    GraphClipExport.Entry back = roundTrip(GraphClipExport.Entry.Coder.INSTANCE, e);
    assertEquals(e.center(), back.center());
    assertArrayEquals(e.src(), back.src());
    assertArrayEquals(e.dst(), back.dst());
    assertEquals(e.summary(), back.summary());
    GraphClipExport.Entry none = new GraphClipExport.Entry(0, new int[0], new int[0], "");
    assertEquals(0, roundTrip(GraphClipExport.Entry.Coder.INSTANCE, none).src().length);
  }

  @Test
  void aNodeTakesLessThanHalfItsJavaSerialisedSize() throws Exception {
    int own = CoderUtils.encodeToByteArray(GraphNode.Coder.INSTANCE, NODE).length;
    int java = CoderUtils.encodeToByteArray(SerializableCoder.of(GraphNode.class), NODE).length;
    assertTrue(own * 2 < java, own + " bytes against Java serialisation's " + java);
  }

  @Test
  void anUnknownPartTagIsAnError() {
    assertThrows(
        IOException.class,
        () -> GraphBuild.Part.Coder.INSTANCE.decode(new ByteArrayInputStream(new byte[] {7})));
  }

  private static <T> T roundTrip(org.apache.beam.sdk.coders.Coder<T> coder, T value)
      throws Exception {
    return CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
  }
}
