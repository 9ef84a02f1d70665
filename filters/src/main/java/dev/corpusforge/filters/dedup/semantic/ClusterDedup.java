package dev.corpusforge.filters.dedup.semantic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Semantic duplicates within one cluster (SemDeDup, Abbas et al. 2023). Members are taken in the
 * paper's order, the one least similar to the cluster's centroid first (ties by sample id), so that
 * the least prototypical of a group survives. Then, by our rule: a member whose similarity to some
 * member already kept exceeds {@code 1 − eps} is a duplicate of the most similar of those;
 * otherwise it is kept. The paper's rule compares a member with every member before it, kept or
 * not, and so also drops a member whose only near copy was itself dropped; ours drops a member only
 * for a survivor it names.
 */
public final class ClusterDedup {
  private ClusterDedup() {}

  /** A member of a cluster: its id, unit embedding and similarity to the cluster's centroid. */
  public record Member(String sampleId, String source, float[] embedding, double toCentroid)
      implements java.io.Serializable {}

  /** A member found a duplicate: of whom, how similar. */
  public record Duplicate(
      String sampleId, String source, String survivorId, String survivorSource, double similarity)
      implements java.io.Serializable {}

  /** What one cluster gave: its duplicates and the number of pairs compared. */
  public record Result(List<Duplicate> duplicates, long pairsCompared) {}

  /** The paper's order: least similar to the centroid first, then by sample id. */
  public static final Comparator<Member> ORDER =
      Comparator.comparingDouble(Member::toCentroid).thenComparing(Member::sampleId);

  public static Result apply(List<Member> members, double eps) {
    List<Member> ordered = new ArrayList<>(members);
    ordered.sort(ORDER);
    double threshold = 1 - eps;
    List<Member> kept = new ArrayList<>();
    List<Duplicate> duplicates = new ArrayList<>();
    long pairs = 0;
    for (Member m : ordered) {
      Member best = null;
      double bestSimilarity = Double.NEGATIVE_INFINITY;
      for (Member k : kept) {
        double s = KMeans.dot(m.embedding(), k.embedding());
        pairs++;
        if (s > bestSimilarity) {
          bestSimilarity = s;
          best = k;
        }
      }
      if (best != null && bestSimilarity > threshold) {
        duplicates.add(
            new Duplicate(
                m.sampleId(), m.source(), best.sampleId(), best.source(), bestSimilarity));
      } else {
        kept.add(m);
      }
    }
    return new Result(duplicates, pairs);
  }
}
