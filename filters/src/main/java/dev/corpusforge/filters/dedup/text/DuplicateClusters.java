package dev.corpusforge.filters.dedup.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Connected components of the verified near-duplicate pairs, by union-find with path compression:
 * the root of a component is always its smallest id, so the survivor is the same whatever order the
 * pairs arrive in and however the runner split them. Only documents in some verified pair are held
 * (not the whole corpus): memory grows with the duplicates, not the input.
 */
public final class DuplicateClusters
    extends Combine.CombineFn<
        DuplicateClusters.Pair, DuplicateClusters.Forest, List<DuplicateClusters.Member>> {

  /** Two documents whose estimated Jaccard similarity passed the threshold. */
  public record Pair(String a, String b, double similarity) implements Serializable {}

  /** A document that is not its cluster's survivor: the survivor and the cluster's size. */
  public record Member(String id, String survivor, int clusterSize) implements Serializable {}

  /** The union-find forest: each id's parent (a root is its own). */
  public static final class Forest implements Serializable {
    private final HashMap<String, String> parent = new HashMap<>();

    String find(String id) {
      String root = id;
      for (String p = parent.get(root); p != null && !p.equals(root); p = parent.get(root)) {
        root = p;
      }
      // path compression
      for (String at = id; !at.equals(root); ) {
        String next = parent.get(at);
        parent.put(at, root);
        at = next;
      }
      return root;
    }

    void union(String a, String b) {
      parent.putIfAbsent(a, a);
      parent.putIfAbsent(b, b);
      String ra = find(a);
      String rb = find(b);
      if (ra.equals(rb)) {
        return;
      }
      // the smaller id is the root: the survivor is the cluster's smallest id
      if (ra.compareTo(rb) < 0) {
        parent.put(rb, ra);
      } else {
        parent.put(ra, rb);
      }
    }
  }

  @Override
  public Forest createAccumulator() {
    return new Forest();
  }

  @Override
  public Forest addInput(Forest forest, Pair pair) {
    forest.union(pair.a(), pair.b());
    return forest;
  }

  @Override
  public Forest mergeAccumulators(Iterable<Forest> forests) {
    Forest merged = null;
    for (Forest f : forests) {
      if (merged == null) {
        merged = f;
        continue;
      }
      for (Map.Entry<String, String> e : f.parent.entrySet()) {
        merged.union(e.getKey(), e.getValue());
      }
    }
    return merged == null ? new Forest() : merged;
  }

  @Override
  public List<Member> extractOutput(Forest forest) {
    Map<String, List<String>> clusters = new TreeMap<>();
    List<String> ids = new ArrayList<>(forest.parent.keySet());
    ids.sort(null); // the members in id order, whatever the forest's history
    for (String id : ids) {
      clusters.computeIfAbsent(forest.find(id), k -> new ArrayList<>()).add(id);
    }
    List<Member> members = new ArrayList<>();
    clusters.forEach(
        (root, cluster) -> {
          for (String id : cluster) {
            if (!id.equals(root)) {
              members.add(new Member(id, root, cluster.size()));
            }
          }
        });
    return members;
  }
}
