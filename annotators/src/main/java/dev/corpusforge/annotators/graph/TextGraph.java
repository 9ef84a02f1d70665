package dev.corpusforge.annotators.graph;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A text-attributed graph held by one worker: nodes numbered in the order of their sorted ids (so
 * numbering never depends on input order), undirected adjacency in compressed sparse rows with each
 * neighbour list sorted and free of duplicates. Memory: each undirected edge costs two {@code int}s
 * (8 bytes) in the adjacency; each node its id and text as Java strings plus 4 bytes of row offset.
 * Serializable, so a pipeline can hand it to every worker as a side input.
 */
public final class TextGraph implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] ids;
  private final String[] texts;
  private final String[] labels;
  private final int[] offsets;
  private final int[] neighbours;
  private transient Map<String, Integer> index;

  TextGraph(String[] ids, String[] texts, String[] labels, int[] offsets, int[] neighbours) {
    this.ids = ids;
    this.texts = texts;
    this.labels = labels;
    this.offsets = offsets;
    this.neighbours = neighbours;
    this.index = indexOf(ids);
  }

  private static Map<String, Integer> indexOf(String[] ids) {
    Map<String, Integer> index = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      index.put(ids[i], i);
    }
    return index;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    index = indexOf(ids);
  }

  public int nodeCount() {
    return ids.length;
  }

  /** Undirected edges, each counted once. */
  public long edgeCount() {
    return neighbours.length / 2;
  }

  public String id(int node) {
    return ids[node];
  }

  public String text(int node) {
    return texts[node];
  }

  /** The node's label, or null. */
  public String label(int node) {
    return labels[node];
  }

  public int degree(int node) {
    return offsets[node + 1] - offsets[node];
  }

  /** The i-th neighbour of {@code node} in ascending node order. */
  public int neighbour(int node, int i) {
    return neighbours[offsets[node] + i];
  }

  public boolean hasEdge(int a, int b) {
    return Arrays.binarySearch(neighbours, offsets[a], offsets[a + 1], b) >= 0;
  }

  /** The node numbered for {@code id}, or -1. */
  public int node(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  /** The order of node numbers: a node's number is its id's place among all ids in this order. */
  private static final Comparator<String> ID_ORDER = Comparator.naturalOrder();

  /**
   * {@code ids} in the order a graph of those nodes numbers them (a node's number is its place in
   * the list), for numbering the nodes without building the graph.
   */
  public static List<String> numbered(Collection<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(ID_ORDER);
    return sorted;
  }

  /** The number of node {@code id} among {@code numbered} (from {@link #numbered}), or -1. */
  public static int numberIn(List<String> numbered, String id) {
    return Math.max(-1, Collections.binarySearch(numbered, id, ID_ORDER));
  }

  /** Why an edge row was left out of the graph. */
  public enum EdgeDrop {
    UNKNOWN_NODE("edge_unknown_node"),
    SELF_LOOP("edge_self_loop"),
    DUPLICATE("edge_duplicate");

    public final String reason;

    EdgeDrop(String reason) {
      this.reason = reason;
    }
  }

  /** Collects nodes and edges in any order; counts the edges it leaves out, by reason. */
  public static final class Builder {
    private final TreeMap<String, String[]> nodes = new TreeMap<>(ID_ORDER);
    private final List<String[]> edges = new ArrayList<>();
    private final long[] dropped = new long[EdgeDrop.values().length];

    /** Adds a node; a second node with the same id is refused with false. */
    public boolean node(String id, String text, String label) {
      return nodes.putIfAbsent(id, new String[] {text, label}) == null;
    }

    public void edge(String src, String dst) {
      edges.add(new String[] {src, dst});
    }

    public long dropped(EdgeDrop why) {
      return dropped[why.ordinal()];
    }

    public TextGraph build() {
      int n = nodes.size();
      String[] ids = nodes.keySet().toArray(new String[0]);
      String[] texts = new String[n];
      String[] labels = new String[n];
      for (int i = 0; i < n; i++) {
        String[] v = nodes.get(ids[i]);
        texts[i] = v[0];
        labels[i] = v[1];
      }
      Map<String, Integer> index = indexOf(ids);
      // undirected pairs (low, high) as longs, sorted, so duplicates sit together
      long[] pairs = new long[edges.size()];
      int count = 0;
      for (String[] e : edges) {
        Integer a = index.get(e[0]);
        Integer b = index.get(e[1]);
        if (a == null || b == null) {
          dropped[EdgeDrop.UNKNOWN_NODE.ordinal()]++;
        } else if (a.intValue() == b.intValue()) {
          dropped[EdgeDrop.SELF_LOOP.ordinal()]++;
        } else {
          pairs[count++] = ((long) Math.min(a, b) << 32) | Math.max(a, b);
        }
      }
      edges.clear();
      Arrays.sort(pairs, 0, count);
      int[] degree = new int[n];
      int unique = 0;
      for (int i = 0; i < count; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1]) {
          dropped[EdgeDrop.DUPLICATE.ordinal()]++;
          continue;
        }
        pairs[unique++] = pairs[i];
        degree[(int) (pairs[i] >>> 32)]++;
        degree[(int) pairs[i]]++;
      }
      int[] offsets = new int[n + 1];
      for (int i = 0; i < n; i++) {
        offsets[i + 1] = offsets[i] + degree[i];
      }
      int[] fill = Arrays.copyOf(offsets, n);
      int[] neighbours = new int[offsets[n]];
      for (int i = 0; i < unique; i++) {
        int a = (int) (pairs[i] >>> 32);
        int b = (int) pairs[i];
        neighbours[fill[a]++] = b;
        neighbours[fill[b]++] = a;
      }
      for (int i = 0; i < n; i++) {
        Arrays.sort(neighbours, offsets[i], offsets[i + 1]);
      }
      return new TextGraph(ids, texts, labels, offsets, neighbours);
    }
  }
}
