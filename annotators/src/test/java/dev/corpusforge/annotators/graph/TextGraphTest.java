package dev.corpusforge.annotators.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextGraphTest {
  /**
   * A random graph of n nodes with m edge rows, some hostile (unknown ends, self-loops, repeats).
   */
  static TextGraph.Builder randomGraph(int n, int m, long seed) {
    Random r = new Random(seed);
    TextGraph.Builder b = new TextGraph.Builder();
    for (int i = 0; i < n; i++) {
      b.node(
          "n" + i,
          "Title " + i + "\nAbout topic" + (i % 7) + " and topic" + (i % 3) + ".",
          i % 2 == 0 ? "even" : null);
    }
    for (int i = 0; i < m; i++) {
      b.edge("n" + r.nextInt(n), "n" + r.nextInt(n));
    }
    return b;
  }

  @Test
  void edgesToUnknownNodesSelfLoopsAndDuplicatesAreCountedAndLeftOut() {
    TextGraph.Builder b = new TextGraph.Builder();
    b.node("a", "A", null);
    b.node("b", "B", null);
    b.node("c", "C", null);
    assertFalse(b.node("a", "again", null));
    b.edge("a", "b");
    b.edge("b", "a");
    b.edge("a", "b");
    b.edge("a", "a");
    b.edge("a", "zzz");
    b.edge("b", "c");
    TextGraph g = b.build();
    assertEquals(2, g.edgeCount());
    assertEquals(2, b.dropped(TextGraph.EdgeDrop.DUPLICATE));
    assertEquals(1, b.dropped(TextGraph.EdgeDrop.SELF_LOOP));
    assertEquals(1, b.dropped(TextGraph.EdgeDrop.UNKNOWN_NODE));
    assertTrue(g.hasEdge(g.node("a"), g.node("b")));
    assertTrue(g.hasEdge(g.node("b"), g.node("a")));
    assertFalse(g.hasEdge(g.node("a"), g.node("c")));
    assertEquals("A", g.text(g.node("a")));
  }

  @Test
  void adjacencyIsSymmetricSortedAndIndependentOfInputOrder() {
    TextGraph g = randomGraph(200, 800, 1).build();
    for (int v = 0; v < g.nodeCount(); v++) {
      for (int i = 0; i < g.degree(v); i++) {
        int w = g.neighbour(v, i);
        assertTrue(g.hasEdge(w, v));
        assertTrue(w != v);
        if (i > 0) {
          assertTrue(g.neighbour(v, i - 1) < w);
        }
      }
    }
    // same rows shuffled: same numbering and adjacency
    List<String[]> edges = new ArrayList<>();
    Random r = new Random(1);
    for (int i = 0; i < 800; i++) {
      edges.add(new String[] {"n" + r.nextInt(200), "n" + r.nextInt(200)});
    }
    Collections.shuffle(edges, new Random(9));
    TextGraph.Builder b = new TextGraph.Builder();
    for (int i = 199; i >= 0; i--) {
      b.node("n" + i, "x", null);
    }
    edges.forEach(e -> b.edge(e[1], e[0]));
    TextGraph h = b.build();
    // the numbering, without the graph: from the ids alone, in any order
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("n" + i);
    }
    Collections.shuffle(ids, new Random(3));
    List<String> numbered = TextGraph.numbered(ids);
    assertEquals(-1, TextGraph.numberIn(numbered, "n200"));
    for (int v = 0; v < g.nodeCount(); v++) {
      assertEquals(v, TextGraph.numberIn(numbered, g.id(v)));
      assertEquals(g.id(v), h.id(v));
      assertEquals(g.degree(v), h.degree(v));
      for (int i = 0; i < g.degree(v); i++) {
        assertEquals(g.neighbour(v, i), h.neighbour(v, i));
      }
    }
  }
}
