package dev.corpusforge.annotators.graph;

/**
 * A sampled subgraph: {@code nodes} are graph node numbers, the seed first, then in the order the
 * walk first reached them; edges are undirected pairs of indices into {@code nodes}, in the order
 * first traversed, each once. {@code hops[i]} is node i's distance from the seed over the sample's
 * own edges.
 */
public record GraphSample(int[] nodes, int[] edgeSrc, int[] edgeDst, int[] hops)
    implements java.io.Serializable {
  public int seed() {
    return nodes[0];
  }

  public int size() {
    return nodes.length;
  }
}
