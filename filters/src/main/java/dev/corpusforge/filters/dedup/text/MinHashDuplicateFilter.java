package dev.corpusforge.filters.dedup.text;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.Tally;
import dev.corpusforge.filters.dedup.DedupReasons;
import dev.corpusforge.filters.dedup.DropDecided;
import dev.corpusforge.filters.dedup.ExactDuplicateFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Near-duplicate documents by MinHash-LSH (DataTrove's and FineWeb's method, {@link MinHash}):
 *
 * <ol>
 *   <li>each signature's band keys go through a shuffle with the document's id only;
 *   <li>documents sharing a band key are candidate pairs (all pairs of a bucket of up to {@value
 *       #ALL_PAIRS_UP_TO}, each member with the smallest id in a larger one);
 *   <li>each distinct pair meets its two signatures in two joins by id and is kept when their
 *       estimated Jaccard similarity reaches the threshold;
 *   <li>the kept pairs' connected components ({@link DuplicateClusters}) are the duplicate
 *       clusters: the smallest id survives, every other member is {@code dup_near}, its detail
 *       naming the survivor, their estimated similarity (one more pair of joins) and the cluster's
 *       size.
 * </ol>
 *
 * Every choice depends on ids and signatures only, so the result is the same on every runner and at
 * any parallelism. A record without a signature (no words) is kept.
 */
public final class MinHashDuplicateFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  static final int ALL_PAIRS_UP_TO = 100;

  /** Tally name prefix of the clusters of each size: {@code near_dup_clusters_of_size 3}. */
  public static final String CLUSTERS_OF_SIZE = "near_dup_clusters_of_size ";

  private final SerializableFunction<T, long[]> signature;
  private final RecordIdentity<T> identity;
  private final MinHash minHash;

  private MinHashDuplicateFilter(
      SerializableFunction<T, long[]> signature, RecordIdentity<T> identity, MinHash minHash) {
    this.signature = signature;
    this.identity = identity;
    this.minHash = minHash;
  }

  public static <T> MinHashDuplicateFilter<T> of(
      SerializableFunction<T, long[]> signature,
      RecordIdentity<T> identity,
      MinHash.Settings settings) {
    return new MinHashDuplicateFilter<>(signature, identity, new MinHash(settings));
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    KvCoder<String, String> pairCoder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    RecordIdentity<T> ids = identity;
    SerializableFunction<T, long[]> sig = signature;
    PCollection<KV<String, byte[]>> signatures =
        input
            .apply(
                "Signatures by id",
                FlatMapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
                    .via(
                        (T record) -> {
                          long[] s = sig.apply(record);
                          return s == null
                              ? List.of()
                              : List.of(KV.of(ids.sampleId(record), MinHash.toBytes(s)));
                        }))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
    MinHash hashes = minHash;
    PCollection<KV<String, String>> candidates =
        signatures
            .apply(
                "Band keys",
                FlatMapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(
                        (KV<String, byte[]> s) -> {
                          long[] values = MinHash.fromBytes(java.nio.ByteBuffer.wrap(s.getValue()));
                          List<KV<String, String>> keys = new ArrayList<>();
                          for (int b = 0; b < hashes.settings().bands(); b++) {
                            keys.add(KV.of(hashes.bandKey(values, b), s.getKey()));
                          }
                          return keys;
                        }))
            .setCoder(pairCoder)
            .apply("Group by band key", GroupByKey.create())
            .apply("Candidate pairs", ParDo.of(new CandidatePairsFn()))
            .setCoder(pairCoder)
            .apply("Distinct pairs", Distinct.create());
    double threshold = minHash.settings().threshold();
    PCollection<DuplicateClusters.Pair> similar =
        PairSimilarity.of(candidates, signatures, "Verify pairs")
            .apply(
                "At or above the threshold",
                Filter.by((DuplicateClusters.Pair p) -> p.similarity() >= threshold));
    PCollection<List<DuplicateClusters.Member>> clusters =
        similar
            .apply(
                "Duplicate clusters", Combine.globally(new DuplicateClusters()).withoutDefaults())
            .setCoder(ListCoder.of(SerializableCoder.of(DuplicateClusters.Member.class)));
    PCollection<Tally> bySize =
        clusters
            .apply(
                "Clusters by size",
                MapElements.into(TypeDescriptor.of(Tally.class))
                    .via(MinHashDuplicateFilter::clustersBySize))
            .setCoder(Tally.coder());
    PCollection<DuplicateClusters.Member> members =
        clusters
            .apply(
                "Cluster members",
                FlatMapElements.into(TypeDescriptor.of(DuplicateClusters.Member.class))
                    .via((List<DuplicateClusters.Member> all) -> all))
            .setCoder(SerializableCoder.of(DuplicateClusters.Member.class));
    PCollection<KV<String, Integer>> sizes =
        members
            .apply(
                "Member sizes",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
                    .via((DuplicateClusters.Member m) -> KV.of(m.id(), m.clusterSize())))
            .setCoder(
                KvCoder.of(StringUtf8Coder.of(), org.apache.beam.sdk.coders.VarIntCoder.of()));
    PCollection<KV<String, String>> toSurvivor =
        members
            .apply(
                "Member and survivor",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((DuplicateClusters.Member m) -> KV.of(m.id(), m.survivor())))
            .setCoder(pairCoder);
    PCollection<KV<String, String>> decisions =
        describe(PairSimilarity.of(toSurvivor, signatures, "Similarity to survivor"), sizes);
    return input
        .apply("Drop near duplicates", new DropDecided<>(decisions, ids, DedupReasons.DUP_NEAR))
        .withTallies(bySize);
  }

  /**
   * The tally of the clusters: one count under {@link #CLUSTERS_OF_SIZE} and the size for each
   * cluster (survivor included).
   */
  static Tally clustersBySize(List<DuplicateClusters.Member> members) {
    Map<String, Integer> sizes = new TreeMap<>();
    for (DuplicateClusters.Member m : members) {
      sizes.put(m.survivor(), m.clusterSize());
    }
    Tally t = Tally.empty();
    sizes.values().forEach(size -> t.add(CLUSTERS_OF_SIZE + size, 1));
    return t;
  }

  /** Each member's detail: its survivor, their similarity and the cluster's size. */
  private static PCollection<KV<String, String>> describe(
      PCollection<DuplicateClusters.Pair> toSurvivor, PCollection<KV<String, Integer>> sizes) {
    TupleTag<DuplicateClusters.Pair> pairTag = new TupleTag<>();
    TupleTag<Integer> sizeTag = new TupleTag<>();
    PCollection<KV<String, DuplicateClusters.Pair>> byMember =
        toSurvivor
            .apply(
                "Key by member",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            TypeDescriptor.of(DuplicateClusters.Pair.class)))
                    .via((DuplicateClusters.Pair p) -> KV.of(p.a(), p)))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), SerializableCoder.of(DuplicateClusters.Pair.class)));
    return KeyedPCollectionTuple.of(pairTag, byMember)
        .and(sizeTag, sizes)
        .apply("Join cluster sizes", CoGroupByKey.create())
        .apply("Details", ParDo.of(new DetailFn(pairTag, sizeTag)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  static final class DetailFn extends DoFn<KV<String, CoGbkResult>, KV<String, String>> {
    private final TupleTag<DuplicateClusters.Pair> pairTag;
    private final TupleTag<Integer> sizeTag;
    private final Distribution clusterSizes =
        Metrics.distribution(ExactDuplicateFilter.STAGE, "near_dup_cluster_size");

    DetailFn(TupleTag<DuplicateClusters.Pair> pairTag, TupleTag<Integer> sizeTag) {
      this.pairTag = pairTag;
      this.sizeTag = sizeTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> group, OutputReceiver<KV<String, String>> out) {
      DuplicateClusters.Pair p = group.getValue().getOnly(pairTag, null);
      Integer size = group.getValue().getOnly(sizeTag, null);
      if (p == null || size == null) {
        return;
      }
      clusterSizes.update(size);
      out.output(
          KV.of(
              p.a(),
              String.format(
                  Locale.ROOT,
                  "near duplicate of %s (estimated Jaccard %.3f; %d documents in the cluster)",
                  p.b(),
                  p.similarity(),
                  size)));
    }
  }

  /**
   * The pairs of a band bucket: all of them in a small bucket, a star from the smallest id else.
   */
  static final class CandidatePairsFn
      extends DoFn<KV<String, Iterable<String>>, KV<String, String>> {
    private final Counter bigBuckets =
        Metrics.counter(ExactDuplicateFilter.STAGE, "near_dup_large_buckets");
    private final Distribution bucketSizes =
        Metrics.distribution(ExactDuplicateFilter.STAGE, "near_dup_bucket_size");

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<String>> bucket, OutputReceiver<KV<String, String>> out) {
      List<String> members = new ArrayList<>();
      bucket.getValue().forEach(members::add);
      if (members.size() < 2) {
        return;
      }
      bucketSizes.update(members.size());
      members.sort(null);
      if (members.size() > ALL_PAIRS_UP_TO) {
        bigBuckets.inc();
        for (int j = 1; j < members.size(); j++) {
          emit(members.get(0), members.get(j), out);
        }
        return;
      }
      for (int i = 0; i < members.size(); i++) {
        for (int j = i + 1; j < members.size(); j++) {
          emit(members.get(i), members.get(j), out);
        }
      }
    }

    private static void emit(String a, String b, OutputReceiver<KV<String, String>> out) {
      if (!a.equals(b)) {
        out.output(KV.of(a, b));
      }
    }
  }
}
