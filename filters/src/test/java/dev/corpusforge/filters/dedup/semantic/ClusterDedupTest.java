package dev.corpusforge.filters.dedup.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDedupTest {
  static ClusterDedup.Member member(String id, double toCentroid, float... v) {
    return new ClusterDedup.Member(id, "src/" + id, KMeansTest.unit(v), toCentroid);
  }

  @Test
  void theLeastPrototypicalSurvivesAndTheRestNameIt() {
    // b is the farthest from the centroid of the three copies: it survives them
    ClusterDedup.Result r =
        ClusterDedup.apply(
            List.of(
                member("a", 0.9, 1, 0, 0),
                member("b", 0.5, 1, 0.01f, 0),
                member("c", 0.7, 1, 0, 0.01f),
                member("d", 0.1, 0, 1, 0)),
            0.01);
    assertEquals(
        List.of("a→b", "c→b"),
        r.duplicates().stream().map(d -> d.sampleId() + "→" + d.survivorId()).sorted().toList());
    for (ClusterDedup.Duplicate d : r.duplicates()) {
      assertEquals(true, d.similarity() > 0.99, "similarity above 1 - eps");
    }
    // order d, b, c, a: c against {d, b}, a against {d, b}
    assertEquals(1 + 2 + 2, r.pairsCompared());
  }

  @Test
  void aMemberIsDroppedOnlyForAKeptOne() {
    // x ~ y and y ~ z above the threshold, x and z below it: y goes for x, z stays (the paper's
    // rule would drop z too, for y)
    float[] x = {1, 0};
    float[] y = {(float) Math.cos(0.1), (float) Math.sin(0.1)};
    float[] z = {(float) Math.cos(0.2), (float) Math.sin(0.2)};
    double eps = 1 - Math.cos(0.15);
    ClusterDedup.Result r =
        ClusterDedup.apply(
            List.of(member("x", 0.1, x), member("y", 0.2, y), member("z", 0.3, z)), eps);
    assertEquals(
        List.of("y→x"),
        r.duplicates().stream().map(d -> d.sampleId() + "→" + d.survivorId()).toList());
  }

  @Test
  void tiesInTheOrderGoBySampleId() {
    ClusterDedup.Result r =
        ClusterDedup.apply(
            List.of(member("q", 0.5, 1, 0), member("p", 0.5, 1, 0), member("r", 0.5, 1, 0)), 0.1);
    assertEquals(
        List.of("q→p", "r→p"),
        r.duplicates().stream().map(d -> d.sampleId() + "→" + d.survivorId()).toList());
  }
}
