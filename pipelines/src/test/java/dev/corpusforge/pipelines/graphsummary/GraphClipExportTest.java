package dev.corpusforge.pipelines.graphsummary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.annotators.graph.TextGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphClipExportTest {
  @Test
  void aNodeOfTheGraphIsNumberedAsTheGraphDoesAndAnyOtherStopsTheRun() {
    TextGraph.Builder graph = new TextGraph.Builder();
    for (String id : List.of("pkg:c", "pkg:a", "pkg:b")) {
      graph.node(id, id, null);
    }
    TextGraph g = graph.build();
    List<String> numbered = TextGraph.numbered(List.of("pkg:c", "pkg:a", "pkg:b"));
    for (String id : List.of("pkg:a", "pkg:b", "pkg:c")) {
      assertEquals(g.node(id), GraphClipExport.number(numbered, id, "s1"));
    }
    IllegalStateException unknown =
        assertThrows(
            IllegalStateException.class, () -> GraphClipExport.number(numbered, "pkg:z", "s1"));
    assertTrue(
        unknown.getMessage().contains("pkg:z") && unknown.getMessage().contains("s1"),
        unknown.getMessage());
  }
}
