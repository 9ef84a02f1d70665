package dev.corpusforge.annotators.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SerializationTest {
  private final TextGraph graph = TextGraphTest.randomGraph(300, 900, 7).build();

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void graphMlParsesBackWithItsNodesEdgesAndKeysWhateverTheText() throws Exception {
    GraphMl.Node[] nodes = {
      new GraphMl.Node(
          "seed", "A <title> & \"quotes\"", "bad \u0000 control \u0007 chars, emoji 🙂"),
      new GraphMl.Node("n2", "Second", ""),
      new GraphMl.Node("n3", "Third", "]]> not a CDATA end")
    };
    String xml = GraphMl.write(nodes, new int[] {0, 1}, new int[] {1, 2}, "depends on");
    Document d = parse(xml);
    NodeList ns = d.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "node");
    assertEquals(3, ns.getLength());
    assertEquals("seed", ((Element) ns.item(0)).getAttribute("id"));
    assertEquals("A <title> & \"quotes\"", ns.item(0).getFirstChild().getTextContent());
    assertEquals(
        "bad \uFFFD control \uFFFD chars, emoji 🙂", ns.item(0).getLastChild().getTextContent());
    NodeList es = d.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "edge");
    assertEquals(2, es.getLength());
    assertEquals("n2", ((Element) es.item(1)).getAttribute("source"));
    assertEquals("depends on", es.item(1).getTextContent());
    assertEquals(
        3, d.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "key").getLength());
  }

  @Test
  void overBudgetPromptsDropTheFarthestNodesFirstAndKeepTheSeedConnected() throws Exception {
    RandomWalkSampler sampler = new RandomWalkSampler(graph, new WalkRule(64, 0.3, 0, 0));
    // a crude counter: one token per 4 chars
    SampleSerializer loose =
        new SampleSerializer(
            graph,
            new SampleSerializer.Options("cites", 1000, 0, 400),
            PromptTemplate.CITATION,
            s -> s.length() / 4);
    SampleSerializer tight =
        new SampleSerializer(
            graph,
            new SampleSerializer.Options("cites", 1000, 600, 400),
            PromptTemplate.CITATION,
            s -> s.length() / 4);
    int trimmedSamples = 0;
    for (int seed = 0; seed < 100; seed++) {
      GraphSample s = sampler.sample(seed);
      SampleSerializer.Serialized all = loose.serialize(s);
      assertEquals(0, all.trimmed());
      assertEquals(s.size(), all.sample().size());
      SampleSerializer.Serialized cut = tight.serialize(s);
      assertTrue(cut.promptTokens() <= 600);
      assertEquals(seed, cut.sample().seed());
      assertEquals(s.size(), cut.sample().size() + cut.trimmed());
      if (cut.trimmed() > 0) {
        trimmedSamples++;
        // every dropped node is at least as far from the seed as every kept one
        int maxKept = java.util.Arrays.stream(cut.sample().hops()).max().getAsInt();
        int minDroppedHop = Integer.MAX_VALUE;
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        for (int v : cut.sample().nodes()) {
          kept.add(v);
        }
        for (int i = 0; i < s.size(); i++) {
          if (!kept.contains(s.nodes()[i])) {
            minDroppedHop = Math.min(minDroppedHop, s.hops()[i]);
          }
        }
        assertTrue(minDroppedHop >= maxKept);
        // still connected: hops recomputed over the kept edges are finite
        int[] hops =
            RandomWalkSampler.hops(
                cut.sample().size(), cut.sample().edgeSrc(), cut.sample().edgeDst());
        for (int h : hops) {
          assertTrue(h < Integer.MAX_VALUE);
        }
      }
      assertEquals(
          cut.sample().size(),
          parse(cut.graphml())
              .getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "node")
              .getLength());
      assertTrue(cut.prompt().contains(cut.graphml()));
    }
    assertTrue(trimmedSamples > 0, "the tight budget trims some samples");
  }

  @Test
  void templatesNeedTheGraphAndKnownPlaceholders() {
    assertThrows(IllegalArgumentException.class, () -> new PromptTemplate("x", "no graph here"));
    assertThrows(
        IllegalArgumentException.class, () -> new PromptTemplate("x", "{graphml} {nonsense}"));
    assertEquals(
        "G cites",
        new PromptTemplate("x", "{graphml} {relation}")
            .fill(java.util.Map.of("graphml", "G", "relation", "cites")));
  }

  @Test
  void theExtractiveSummaryNamesTheSeedItsNeighboursAndSharedThemes() {
    GraphMl.Node[] nodes = {
      new GraphMl.Node(
          "libfoo",
          "libfoo - compression library",
          "Fast lossless compression. It also has a CLI."),
      new GraphMl.Node("a", "zstd tool", "Compression utility for archives"),
      new GraphMl.Node("b", "xz tool", "Compression utility with archives support"),
      new GraphMl.Node("c", "docs", "Manual pages")
    };
    String summary = ExtractiveSummarizer.summarize(nodes, new int[] {0, 1, 1, 2}, "depends on");
    assertTrue(
        summary.startsWith("libfoo - compression library. Fast lossless compression."), summary);
    assertTrue(
        summary.contains("linked (depends on) to 3 nodes, among them zstd tool; xz tool; docs."),
        summary);
    assertTrue(summary.contains("Shared themes: archives, compression, tool, utility."), summary);
    // a word every node of the graph carries is no theme
    TextGraph.Builder b = new TextGraph.Builder();
    for (int i = 0; i < 10; i++) {
      b.node(
          "n" + i, "node " + i + "\nSection: misc" + (i < 3 ? " compression utility" : ""), null);
    }
    java.util.Set<String> common =
        ExtractiveSummarizer.commonWords(b.build(), ExtractiveSummarizer.COMMON_SHARE);
    assertTrue(
        common.contains("section") && common.contains("misc") && common.contains("compression"),
        common.toString());
    assertEquals(java.util.Set.of("section", "misc", "compression", "utility", "node"), common);
    String withCommon =
        ExtractiveSummarizer.summarize(
            nodes,
            new int[] {0, 1, 1, 2},
            "depends on",
            java.util.Set.of("compression", "utility"));
    assertTrue(withCommon.contains("Shared themes: archives, tool."), withCommon);
    assertEquals(
        "Lonely. It has no linked nodes.",
        ExtractiveSummarizer.summarize(
            new GraphMl.Node[] {new GraphMl.Node("x", "Lonely", "")}, new int[] {0}, "r"));
  }
}
