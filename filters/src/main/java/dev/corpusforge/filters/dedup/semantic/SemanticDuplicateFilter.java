package dev.corpusforge.filters.dedup.semantic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.dedup.DedupReasons;
import dev.corpusforge.schemas.Reject;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Semantic duplicates by their image embeddings (SemDeDup, Abbas et al. 2023): spherical k-means
 * centroids fitted on one worker from a bounded sample drawn by a seeded hash of the sample id,
 * every embedding assigned to its nearest centroid in parallel, then within each cluster the rule
 * of {@link ClusterDedup}: a member more similar than {@code 1 − eps} to a member kept before it is
 * rejected {@code dup_semantic}, naming that survivor and the similarity.
 *
 * <p>Only ids, sources and embeddings cross the shuffles; the records join their decision by id
 * once. A cluster larger than {@code maxClusterSize} is split by a hash of the sample id into
 * {@code ⌈2·size / maxClusterSize⌉} parts, each about half the bound, and each part compared alone
 * (pairs across parts are not compared; the report counts the clusters split), so no worker holds a
 * whole large cluster's embeddings. A record without an embedding is kept and not compared. The
 * result depends only on the embeddings, ids and settings, not on the runner or its parallelism.
 *
 * <p>{@link #report()} gives the manifest's {@code semantic_dedup} section and the report's gallery
 * lines once the transform is applied.
 */
public final class SemanticDuplicateFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "dedup";
  private final SerializableFunction<T, float[]> embedding;
  private final SerializableFunction<T, String> thumbnail;
  private final RecordIdentity<T> identity;
  private final SemDedupConfig config;
  private transient PCollection<String> report;

  private SemanticDuplicateFilter(
      SerializableFunction<T, float[]> embedding,
      SerializableFunction<T, String> thumbnail,
      RecordIdentity<T> identity,
      SemDedupConfig config) {
    this.embedding = embedding;
    this.thumbnail = thumbnail;
    this.identity = identity;
    this.config = config;
  }

  /**
   * @param embedding a record's unit image embedding, or null
   * @param thumbnail a record's image as a base64 JPEG thumbnail for the gallery, or null
   */
  public static <T> SemanticDuplicateFilter<T> of(
      SerializableFunction<T, float[]> embedding,
      SerializableFunction<T, String> thumbnail,
      RecordIdentity<T> identity,
      SemDedupConfig config) {
    return new SemanticDuplicateFilter<>(embedding, thumbnail, identity, config);
  }

  /** The stats lines of the applied transform: the manifest section and the gallery. */
  public PCollection<String> report() {
    if (report == null) {
      throw new IllegalStateException("apply the semantic dedup before reading its report");
    }
    return report;
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    SemDedupConfig settings = config;
    PCollection<ClusterDedup.Member> members =
        input
            .apply("Embeddings", ParDo.of(new MemberFn<>(embedding, identity)))
            .setCoder(MemberCoder.INSTANCE);
    PCollection<Long> rowCount = members.apply("Count rows", Count.globally());
    PCollectionView<Long> rows = rowCount.apply("Rows", View.asSingleton());
    PCollection<Centroids> fitted =
        members
            .apply(
                "Seeded sample",
                Top.of(settings.sampleSize(), new SampleOrder(settings.seed())).withoutDefaults())
            .setCoder(ListCoder.of(MemberCoder.INSTANCE))
            .apply("Fit centroids", ParDo.of(new FitFn(rows, settings)).withSideInputs(rows))
            .setCoder(SerializableCoder.of(Centroids.class));
    PCollectionView<Centroids> centroids =
        fitted.apply(
            "Centroids",
            View.<Centroids>asSingleton().withDefaultValue(new Centroids(new float[0][], 0)));
    PCollection<KV<Integer, ClusterDedup.Member>> assigned =
        members
            .apply("Nearest centroid", ParDo.of(new AssignFn(centroids)).withSideInputs(centroids))
            .setCoder(KvCoder.of(VarIntCoder.of(), MemberCoder.INSTANCE));
    PCollection<KV<Integer, Long>> clusterSizes =
        assigned.apply("Cluster of each", Keys.create()).apply("Cluster sizes", Count.perElement());
    PCollectionView<Map<Integer, Long>> sizes = clusterSizes.apply("Sizes", View.asMap());
    int maxCluster = settings.maxClusterSize();
    PCollection<Tally> sizeTallies =
        clusterSizes
            .apply(
                "Tally cluster sizes",
                MapElements.into(TypeDescriptor.of(Tally.class))
                    .via(
                        (KV<Integer, Long> size) ->
                            Tally.of("clusters_nonempty", 1)
                                .add("size " + sizeBucket(size.getValue()), 1)
                                .add(
                                    "clusters_split",
                                    parts(size.getValue(), maxCluster) > 1 ? 1 : 0)))
            .setCoder(Tally.coder());
    TupleTag<ClusterDedup.Duplicate> duplicateTag = new TupleTag<>();
    TupleTag<Tally> tallyTag = new TupleTag<>();
    PCollectionTuple compared =
        assigned
            .apply(
                "Parts of large clusters",
                ParDo.of(new PartFn(sizes, settings.maxClusterSize())).withSideInputs(sizes))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), MemberCoder.INSTANCE))
            .apply("Group clusters", GroupByKey.create())
            .apply(
                "Compare within clusters",
                ParDo.of(new CompareFn(settings.eps(), duplicateTag, tallyTag))
                    .withOutputTags(duplicateTag, TupleTagList.of(tallyTag)));
    PCollection<ClusterDedup.Duplicate> duplicates =
        compared.get(duplicateTag).setCoder(SerializableCoder.of(ClusterDedup.Duplicate.class));
    PCollection<Tally> clusterTallies = compared.get(tallyTag).setCoder(Tally.coder());

    PCollectionView<List<ClusterDedup.Duplicate>> gallery =
        duplicates
            .apply("Gallery pairs", Top.of(settings.gallery(), new GalleryOrder()))
            .setCoder(ListCoder.of(SerializableCoder.of(ClusterDedup.Duplicate.class)))
            .apply("Gallery", View.asSingleton());

    TupleTag<T> recordsTag = new TupleTag<>();
    TupleTag<ClusterDedup.Duplicate> decisionTag = new TupleTag<>();
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<KV<String, String>> thumbTag = new TupleTag<>();
    PCollection<KV<String, T>> byId =
        input
            .apply("Key by id", WithKeys.of((SerializableFunction<T, String>) identity::sampleId))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()));
    PCollection<KV<String, ClusterDedup.Duplicate>> decisions =
        duplicates
            .apply(
                "Key duplicates by id",
                WithKeys.of((ClusterDedup.Duplicate d) -> d.sampleId())
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), SerializableCoder.of(ClusterDedup.Duplicate.class)));
    PCollectionTuple out =
        KeyedPCollectionTuple.of(recordsTag, byId)
            .and(decisionTag, decisions)
            .apply("Join decisions", CoGroupByKey.create())
            .apply(
                "Drop semantic duplicates",
                ParDo.of(
                        new DropFn<>(
                            recordsTag,
                            decisionTag,
                            keptTag,
                            rejectTag,
                            thumbTag,
                            identity,
                            thumbnail,
                            gallery))
                    .withSideInputs(gallery)
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag).and(thumbTag)));
    PCollection<KV<String, String>> thumbnails =
        out.get(thumbTag).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));

    PCollection<String> section =
        PCollectionList.of(clusterTallies)
            .and(sizeTallies)
            .and(
                rowCount
                    .apply(
                        "Rows tally",
                        MapElements.into(TypeDescriptor.of(Tally.class))
                            .via((Long n) -> Tally.of("rows", n)))
                    .setCoder(Tally.coder()))
            .and(
                fitted
                    .apply(
                        "Fitted tally",
                        MapElements.into(TypeDescriptor.of(Tally.class))
                            .via(
                                (Centroids c) ->
                                    Tally.of("clusters_fitted", c.vectors().length)
                                        .add("sampled", c.sampled())))
                    .setCoder(Tally.coder()))
            .apply("All semantic tallies", Flatten.pCollections())
            .setCoder(Tally.coder())
            .apply("Sum semantic tallies", Combine.globally(Tally.sum()).withoutDefaults())
            .apply(
                "Semantic dedup section",
                MapElements.into(TypeDescriptors.strings()).via((Tally t) -> section(t, settings)));
    PCollection<String> pairs =
        thumbnails
            .apply("Gallery thumbnails", Combine.globally(new ThumbnailsFn()).withoutDefaults())
            .setCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("Gallery lines", ParDo.of(new PairLinesFn(gallery)).withSideInputs(gallery));
    report =
        PCollectionList.of(section)
            .and(pairs)
            .apply("Semantic dedup report", Flatten.pCollections());
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  /** The manifest's {@code semantic_dedup} section. */
  static String section(Tally t, SemDedupConfig c) {
    Map<String, Long> counts = t.counts();
    ObjectNode o = StatsLines.JSON.createObjectNode();
    o.put("eps", c.eps())
        .put("similarity_above", 1 - c.eps())
        .put("seed", c.seed())
        .put("clusters_setting", c.clusters())
        .put("sample_size", c.sampleSize())
        .put("max_cluster_size", c.maxClusterSize())
        .put("iterations_max", c.iterations())
        .put(
            "survivor_rule",
            "least similar to its centroid first; a member more similar than 1 - eps to one kept"
                + " before it is dropped for the most similar such one");
    for (String key :
        List.of(
            "rows",
            "sampled",
            "clusters_fitted",
            "clusters_nonempty",
            "clusters_split",
            "parts_compared",
            "pairs_compared",
            "duplicates")) {
      o.put(key, counts.getOrDefault(key, 0L));
    }
    ObjectNode bySize = o.putObject("clusters_by_size");
    for (String size : SIZE_BUCKETS) {
      bySize.put(size, counts.getOrDefault("size " + size, 0L));
    }
    return StatsLines.manifest("semantic_dedup", o);
  }

  private static final List<String> SIZE_BUCKETS =
      List.of("1", "2-9", "10-99", "100-999", "1000-9999", "10000+");

  static String sizeBucket(long n) {
    if (n <= 1) {
      return "1";
    }
    if (n < 10) {
      return "2-9";
    }
    if (n < 100) {
      return "10-99";
    }
    if (n < 1000) {
      return "100-999";
    }
    return n < 10_000 ? "1000-9999" : "10000+";
  }

  /**
   * The parts a cluster of {@code size} is compared in: one up to {@code maxClusterSize}, else
   * twice what the size needs, since parts by hash vary in size and half the bound on average
   * leaves room for that.
   */
  static long parts(long size, int maxClusterSize) {
    return size <= maxClusterSize ? 1 : (2 * size + maxClusterSize - 1) / maxClusterSize;
  }

  /** Centroids as fitted, and the sample they were fitted on. */
  public record Centroids(float[][] vectors, int sampled) implements Serializable {}

  /** A 64-bit hash of (seed, sample id): the sample takes the smallest. */
  static long sampleHash(long seed, String sampleId) {
    long h = 0xcbf29ce484222325L ^ seed * 0x9E3779B97F4A7C15L;
    for (byte b : sampleId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** Larger is better for {@link Top}: the smallest hash first, then the smallest id. */
  static final class SampleOrder implements Comparator<ClusterDedup.Member>, Serializable {
    private final long seed;

    SampleOrder(long seed) {
      this.seed = seed;
    }

    @Override
    public int compare(ClusterDedup.Member a, ClusterDedup.Member b) {
      int byHash = Long.compare(sampleHash(seed, b.sampleId()), sampleHash(seed, a.sampleId()));
      return byHash != 0 ? byHash : b.sampleId().compareTo(a.sampleId());
    }
  }

  /** Larger is better for {@link Top}: the smallest rejected id first. */
  static final class GalleryOrder implements Comparator<ClusterDedup.Duplicate>, Serializable {
    @Override
    public int compare(ClusterDedup.Duplicate a, ClusterDedup.Duplicate b) {
      return b.sampleId().compareTo(a.sampleId());
    }
  }

  static final class MemberFn<T> extends DoFn<T, ClusterDedup.Member> {
    private final SerializableFunction<T, float[]> embedding;
    private final RecordIdentity<T> identity;

    MemberFn(SerializableFunction<T, float[]> embedding, RecordIdentity<T> identity) {
      this.embedding = embedding;
      this.identity = identity;
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<ClusterDedup.Member> out) {
      float[] e = embedding.apply(record);
      if (e != null && e.length > 0) {
        out.output(
            new ClusterDedup.Member(identity.sampleId(record), identity.source(record), e, 0));
      }
    }
  }

  static final class FitFn extends DoFn<List<ClusterDedup.Member>, Centroids> {
    private final PCollectionView<Long> rows;
    private final SemDedupConfig config;

    FitFn(PCollectionView<Long> rows, SemDedupConfig config) {
      this.rows = rows;
      this.config = config;
    }

    @ProcessElement
    public void process(@Element List<ClusterDedup.Member> sample, ProcessContext c) {
      // Top gives its list sorted by its comparator, the smallest hash first, on every runner
      float[][] points = new float[sample.size()][];
      for (int i = 0; i < points.length; i++) {
        points[i] = sample.get(i).embedding();
      }
      int k = config.clustersFor(c.sideInput(rows), points.length);
      c.output(
          new Centroids(KMeans.fit(points, k, config.seed(), config.iterations()), points.length));
    }
  }

  static final class AssignFn extends DoFn<ClusterDedup.Member, KV<Integer, ClusterDedup.Member>> {
    private final PCollectionView<Centroids> centroids;

    AssignFn(PCollectionView<Centroids> centroids) {
      this.centroids = centroids;
    }

    @ProcessElement
    public void process(@Element ClusterDedup.Member m, ProcessContext c) {
      float[][] vectors = c.sideInput(centroids).vectors();
      if (vectors.length == 0) {
        throw new IllegalStateException("semantic dedup: no centroids fitted for a member");
      }
      int cluster = KMeans.nearest(vectors, m.embedding());
      double toCentroid = KMeans.dot(vectors[cluster], m.embedding());
      c.output(
          KV.of(
              cluster,
              new ClusterDedup.Member(m.sampleId(), m.source(), m.embedding(), toCentroid)));
    }
  }

  /** Keys each member by its cluster, and by a part of it when the cluster is too large. */
  static final class PartFn
      extends DoFn<KV<Integer, ClusterDedup.Member>, KV<String, ClusterDedup.Member>> {
    private final PCollectionView<Map<Integer, Long>> sizes;
    private final int maxClusterSize;

    PartFn(PCollectionView<Map<Integer, Long>> sizes, int maxClusterSize) {
      this.sizes = sizes;
      this.maxClusterSize = maxClusterSize;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ClusterDedup.Member> m, ProcessContext c) {
      long size = c.sideInput(sizes).getOrDefault(m.getKey(), 1L);
      long parts = parts(size, maxClusterSize);
      long part = parts <= 1 ? 0 : Math.floorMod(sampleHash(-1, m.getValue().sampleId()), parts);
      c.output(KV.of(m.getKey() + "/" + part, m.getValue()));
    }
  }

  static final class CompareFn
      extends DoFn<KV<String, Iterable<ClusterDedup.Member>>, ClusterDedup.Duplicate> {
    private final double eps;
    private final TupleTag<ClusterDedup.Duplicate> duplicateTag;
    private final TupleTag<Tally> tallyTag;

    CompareFn(double eps, TupleTag<ClusterDedup.Duplicate> duplicateTag, TupleTag<Tally> tallyTag) {
      this.eps = eps;
      this.duplicateTag = duplicateTag;
      this.tallyTag = tallyTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<ClusterDedup.Member>> group, MultiOutputReceiver out) {
      List<ClusterDedup.Member> members = new ArrayList<>();
      group.getValue().forEach(members::add);
      ClusterDedup.Result result = ClusterDedup.apply(members, eps);
      result.duplicates().forEach(out.get(duplicateTag)::output);
      out.get(tallyTag)
          .output(
              Tally.of("parts_compared", 1)
                  .add("pairs_compared", result.pairsCompared())
                  .add("duplicates", result.duplicates().size()));
    }
  }

  static final class DropFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> recordsTag;
    private final TupleTag<ClusterDedup.Duplicate> decisionTag;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final TupleTag<KV<String, String>> thumbTag;
    private final RecordIdentity<T> identity;
    private final SerializableFunction<T, String> thumbnail;
    private final PCollectionView<List<ClusterDedup.Duplicate>> gallery;
    private transient List<ClusterDedup.Duplicate> galleryFrom;
    private transient Set<String> galleryIds;

    DropFn(
        TupleTag<T> recordsTag,
        TupleTag<ClusterDedup.Duplicate> decisionTag,
        TupleTag<T> keptTag,
        TupleTag<Reject> rejectTag,
        TupleTag<KV<String, String>> thumbTag,
        RecordIdentity<T> identity,
        SerializableFunction<T, String> thumbnail,
        PCollectionView<List<ClusterDedup.Duplicate>> gallery) {
      this.recordsTag = recordsTag;
      this.decisionTag = decisionTag;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.thumbTag = thumbTag;
      this.identity = identity;
      this.thumbnail = thumbnail;
      this.gallery = gallery;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, ProcessContext c) {
      ClusterDedup.Duplicate decision = group.getValue().getOnly(decisionTag, null);
      Set<String> shown = galleryIds(c.sideInput(gallery));
      for (T record : group.getValue().getAll(recordsTag)) {
        if (thumbnail != null && shown.contains(group.getKey())) {
          String thumb = thumbnail.apply(record);
          if (thumb != null) {
            c.output(thumbTag, KV.of(group.getKey(), thumb));
          }
        }
        if (decision == null) {
          c.output(keptTag, record);
        } else {
          c.output(
              rejectTag,
              Rejects.of(
                  identity.sampleId(record),
                  identity.source(record),
                  STAGE,
                  DedupReasons.DUP_SEMANTIC,
                  String.format(
                      Locale.ROOT,
                      "cosine similarity %.5f to %s",
                      decision.similarity(),
                      decision.survivorId())));
        }
      }
    }

    private Set<String> galleryIds(List<ClusterDedup.Duplicate> pairs) {
      if (pairs != galleryFrom) {
        Set<String> ids = new TreeSet<>();
        for (ClusterDedup.Duplicate d : pairs) {
          ids.add(d.sampleId());
          ids.add(d.survivorId());
        }
        galleryIds = ids;
        galleryFrom = pairs;
      }
      return galleryIds;
    }
  }

  /** The gallery's thumbnails by sample id, in one map. */
  static final class ThumbnailsFn
      extends Combine.CombineFn<KV<String, String>, Map<String, String>, Map<String, String>> {
    @Override
    public Map<String, String> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, String> addInput(Map<String, String> acc, KV<String, String> in) {
      acc.put(in.getKey(), in.getValue());
      return acc;
    }

    @Override
    public Map<String, String> mergeAccumulators(Iterable<Map<String, String>> accs) {
      Map<String, String> all = new HashMap<>();
      accs.forEach(all::putAll);
      return all;
    }

    @Override
    public Map<String, String> extractOutput(Map<String, String> acc) {
      return acc;
    }

    @Override
    public Coder<Map<String, String>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<String, String>> input) {
      return MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    }
  }

  /** One {@code semantic_pair} line per gallery pair, thumbnails where there are. */
  static final class PairLinesFn extends DoFn<Map<String, String>, String> {
    private final PCollectionView<List<ClusterDedup.Duplicate>> gallery;

    PairLinesFn(PCollectionView<List<ClusterDedup.Duplicate>> gallery) {
      this.gallery = gallery;
    }

    @ProcessElement
    public void process(@Element Map<String, String> thumbs, ProcessContext c) {
      Map<String, ClusterDedup.Duplicate> byId = new TreeMap<>();
      c.sideInput(gallery).forEach(d -> byId.put(d.sampleId(), d));
      for (ClusterDedup.Duplicate d : byId.values()) {
        ObjectNode line =
            StatsLines.line("semantic_pair")
                .put("sample_id", d.sampleId())
                .put("source", d.source())
                .put("survivor_id", d.survivorId())
                .put("survivor_source", d.survivorSource())
                .put("similarity", d.similarity());
        if (thumbs.containsKey(d.sampleId())) {
          line.put("thumbnail", thumbs.get(d.sampleId()));
        }
        if (thumbs.containsKey(d.survivorId())) {
          line.put("survivor_thumbnail", thumbs.get(d.survivorId()));
        }
        c.output(line.toString());
      }
    }
  }
}
