package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.schemas.RecordSeeds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Which nodes get a sample ({@code --seeds}): {@code all}; {@code sample:N}, the N nodes with the
 * smallest {@link RecordSeeds} of their id under the run seed (the same N on every runner); or a
 * file of node ids, one per line (local or s3://; ids not in the graph are counted).
 */
public record SeedSelection(String spec) implements Serializable {
  public SeedSelection {
    if (!spec.equals("all") && spec.startsWith("sample:")) {
      try {
        if (Integer.parseInt(spec.substring("sample:".length())) < 1) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds sample:N needs N ≥ 1, not '" + spec + "'");
      }
    }
  }

  /** The chosen seeds, and how many listed ids the graph lacks. */
  public record Chosen(BitSet seeds, long unknown) {}

  /** The node ids a seed file lists (read where a worker starts), or null for the other specs. */
  public List<String> listed() throws IOException {
    if (spec.equals("all") || spec.startsWith("sample:")) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            Channels.newReader(
                FileSystems.open(FileSystems.matchNewResource(spec, false)),
                StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String id = line.strip();
        if (!id.isEmpty() && !id.startsWith("#")) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** The chosen seeds of {@code graph}; {@code listed} as {@link #listed()} gave them. */
  public Chosen choose(TextGraph graph, long runSeed, List<String> listed) {
    BitSet seeds = new BitSet(graph.nodeCount());
    long unknown = 0;
    if (spec.equals("all")) {
      seeds.set(0, graph.nodeCount());
    } else if (spec.startsWith("sample:")) {
      int n = Integer.parseInt(spec.substring("sample:".length()));
      long[] keys = new long[graph.nodeCount()];
      for (int v = 0; v < keys.length; v++) {
        keys[v] = RecordSeeds.of(runSeed, graph.id(v));
      }
      IntStream.range(0, graph.nodeCount())
          .boxed()
          .sorted(
              Comparator.<Integer>comparingLong(v -> keys[v])
                  .thenComparing(Comparator.naturalOrder()))
          .limit(n)
          .forEach(seeds::set);
    } else {
      for (String id : listed) {
        int v = graph.node(id);
        if (v < 0) {
          unknown++;
        } else {
          seeds.set(v);
        }
      }
    }
    return new Chosen(seeds, unknown);
  }
}
