package dev.corpusforge.annotators.graph;

import dev.corpusforge.schemas.RecordSeeds;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Samples the subgraph around a seed node by a random walk with restart: at each step, with
 * probability {@code restart} the walk jumps back to the seed (no edge), otherwise it moves to a
 * uniformly chosen neighbour and records the traversed edge. The sample's edges are the traversed
 * pairs, undirected and deduplicated — not the induced subgraph. The random stream is seeded by the
 * run seed and the seed node's id, so a sample never depends on the runner or parallelism.
 */
public final class RandomWalkSampler {
  private final TextGraph graph;
  private final WalkRule rule;

  public RandomWalkSampler(TextGraph graph, WalkRule rule) {
    this.graph = graph;
    this.rule = rule;
  }

  public GraphSample sample(int seedNode) {
    SplittableRandom random = new SplittableRandom(RecordSeeds.of(rule.seed(), graph.id(seedNode)));
    Map<Integer, Integer> local = new HashMap<>();
    int[] order =
        new int
            [Math.max(
                2,
                Math.min(
                    rule.walkLength() + 1,
                    rule.maxNodes() == 0 ? Integer.MAX_VALUE : rule.maxNodes()))];
    order[0] = seedNode;
    local.put(seedNode, 0);
    LinkedHashSet<Long> edges = new LinkedHashSet<>();
    int current = seedNode;
    if (graph.degree(seedNode) > 0) {
      for (int step = 0; step < rule.walkLength(); step++) {
        if (random.nextDouble() < rule.restart()) {
          current = seedNode;
          continue;
        }
        int next = graph.neighbour(current, random.nextInt(graph.degree(current)));
        Integer at = local.get(next);
        if (at == null) {
          if (rule.maxNodes() > 0 && local.size() >= rule.maxNodes()) {
            break;
          }
          at = local.size();
          if (at == order.length) {
            order = Arrays.copyOf(order, order.length * 2);
          }
          order[at] = next;
          local.put(next, at);
        }
        int from = local.get(current);
        edges.add(((long) Math.min(from, at) << 32) | Math.max(from, at));
        current = next;
      }
    }
    int[] nodes = Arrays.copyOf(order, local.size());
    int[] src = new int[edges.size()];
    int[] dst = new int[edges.size()];
    int i = 0;
    for (long e : edges) {
      src[i] = (int) (e >>> 32);
      dst[i++] = (int) e;
    }
    return new GraphSample(nodes, src, dst, hops(nodes.length, src, dst));
  }

  /** Breadth-first distance from index 0 over the given edges. */
  static int[] hops(int n, int[] src, int[] dst) {
    int[][] adjacency = new int[n][];
    int[] degree = new int[n];
    for (int i = 0; i < src.length; i++) {
      degree[src[i]]++;
      degree[dst[i]]++;
    }
    for (int i = 0; i < n; i++) {
      adjacency[i] = new int[degree[i]];
      degree[i] = 0;
    }
    for (int i = 0; i < src.length; i++) {
      adjacency[src[i]][degree[src[i]]++] = dst[i];
      adjacency[dst[i]][degree[dst[i]]++] = src[i];
    }
    int[] hops = new int[n];
    Arrays.fill(hops, Integer.MAX_VALUE);
    hops[0] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int w : adjacency[v]) {
        if (hops[w] == Integer.MAX_VALUE) {
          hops[w] = hops[v] + 1;
          queue.add(w);
        }
      }
    }
    return hops;
  }
}
