package dev.corpusforge.annotators.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomWalkSamplerTest {
  private final TextGraph graph = TextGraphTest.randomGraph(300, 900, 7).build();

  @Test
  void everySampleHoldsItsSeedFirstAndOnlyEdgesOfTheGraph() {
    RandomWalkSampler sampler = new RandomWalkSampler(graph, new WalkRule(64, 0.5, 0, 0));
    for (int seed = 0; seed < graph.nodeCount(); seed++) {
      GraphSample s = sampler.sample(seed);
      assertEquals(seed, s.seed());
      assertTrue(s.size() <= 65);
      Set<Integer> distinct = new HashSet<>();
      for (int v : s.nodes()) {
        assertTrue(distinct.add(v), "a node twice");
      }
      Set<Long> pairs = new HashSet<>();
      for (int e = 0; e < s.edgeSrc().length; e++) {
        int a = s.edgeSrc()[e];
        int b = s.edgeDst()[e];
        assertTrue(a < b);
        assertTrue(graph.hasEdge(s.nodes()[a], s.nodes()[b]), "edge not in the graph");
        assertTrue(pairs.add(((long) a << 32) | b), "an edge twice");
      }
      // every node was reached over a traversed edge: finite hops
      for (int i = 0; i < s.size(); i++) {
        assertTrue(s.hops()[i] < Integer.MAX_VALUE);
        assertEquals(i == 0, s.hops()[i] == 0);
      }
      if (graph.degree(seed) > 0) {
        assertTrue(s.size() >= 2, "a walk of 64 steps with restart 0.5 leaves the seed");
      }
    }
  }

  @Test
  void theSameSeedAndRunSeedGiveTheSameSampleAndAnotherRunSeedAnother() {
    RandomWalkSampler a = new RandomWalkSampler(graph, new WalkRule(64, 0.5, 0, 3));
    RandomWalkSampler b =
        new RandomWalkSampler(
            TextGraphTest.randomGraph(300, 900, 7).build(), new WalkRule(64, 0.5, 0, 3));
    RandomWalkSampler c = new RandomWalkSampler(graph, new WalkRule(64, 0.5, 0, 4));
    int differ = 0;
    for (int seed = 0; seed < 50; seed++) {
      assertArrayEquals(a.sample(seed).nodes(), b.sample(seed).nodes());
      assertArrayEquals(a.sample(seed).edgeSrc(), b.sample(seed).edgeSrc());
      if (!java.util.Arrays.equals(a.sample(seed).nodes(), c.sample(seed).nodes())) {
        differ++;
      }
    }
    assertNotEquals(0, differ);
  }

  @Test
  void anIsolatedNodeIsAOneNodeSampleAndMaxNodesCaps() {
    TextGraph.Builder b = new TextGraph.Builder();
    b.node("lonely", "Lonely", null);
    b.node("x", "X", null);
    b.node("y", "Y", null);
    b.edge("x", "y");
    TextGraph g = b.build();
    GraphSample s = new RandomWalkSampler(g, new WalkRule(64, 0.5, 0, 0)).sample(g.node("lonely"));
    assertEquals(1, s.size());
    assertEquals(0, s.edgeSrc().length);

    RandomWalkSampler capped = new RandomWalkSampler(graph, new WalkRule(64, 0.1, 5, 0));
    for (int seed = 0; seed < graph.nodeCount(); seed++) {
      assertTrue(capped.sample(seed).size() <= 5);
    }
  }
}
