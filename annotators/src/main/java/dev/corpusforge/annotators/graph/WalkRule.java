package dev.corpusforge.annotators.graph;

import java.io.Serializable;

/**
 * Random walk with restart from a seed node (CORPORA.md §4); echoed in the manifest.
 *
 * @param walkLength steps of the walk (GraphCLIP: 64)
 * @param restart probability of jumping back to the seed at each step (GraphCLIP: 0.5)
 * @param maxNodes the walk stops before a step would bring in more nodes than this; 0 for no cap
 * @param seed run seed, mixed with each seed node's id
 */
public record WalkRule(int walkLength, double restart, int maxNodes, long seed)
    implements Serializable {
  public static final int DEFAULT_WALK_LENGTH = 64;
  public static final double DEFAULT_RESTART = 0.5;
  public static final int DEFAULT_MAX_NODES = 0;

  public WalkRule {
    if (walkLength < 0) {
      throw new IllegalArgumentException("--walk-length must be ≥ 0, not " + walkLength);
    }
    if (!(restart >= 0 && restart < 1)) {
      throw new IllegalArgumentException("--restart must be in [0, 1), not " + restart);
    }
    if (maxNodes < 0 || maxNodes == 1) {
      throw new IllegalArgumentException(
          "--max-nodes must be 0 (no cap) or at least 2, not " + maxNodes);
    }
  }
}
