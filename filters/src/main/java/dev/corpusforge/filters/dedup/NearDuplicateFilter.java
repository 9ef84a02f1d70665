package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.StepResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Near duplicates by a 64-bit perceptual hash: a record is dropped when another record within
 * {@code radius} bits has a smaller sample id. Candidate pairs come from {@link HashBands} (records
 * sharing a pair of hash blocks), never from all pairs.
 *
 * <p>The rule is order-free and so deterministic: whether a record survives depends only on the set
 * of hashes and ids, not on how the runner split the work. In a chain a–b–c where only neighbours
 * are within the radius, both b and c are dropped (c because of b), which errs on the side of fewer
 * duplicates.
 */
public final class NearDuplicateFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "dedup";
  private final SerializableFunction<T, Long> hash;
  private final RecordIdentity<T> identity;
  private final HashBands bands;

  private NearDuplicateFilter(
      SerializableFunction<T, Long> hash, RecordIdentity<T> identity, int radius) {
    this.hash = hash;
    this.identity = identity;
    this.bands = new HashBands(radius);
  }

  public static <T> NearDuplicateFilter<T> of(
      SerializableFunction<T, Long> hash, RecordIdentity<T> identity, int radius) {
    return new NearDuplicateFilter<>(hash, identity, radius);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    KvCoder<String, Long> idHash = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollection<KV<String, String>> neighbours =
        input
            .apply("Band hashes", ParDo.of(new BandFn<>(hash, identity, bands)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), idHash))
            .apply("Group by band", GroupByKey.create())
            .apply("Compare within band", ParDo.of(new CompareFn(bands.radius())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("Smallest neighbour", Combine.perKey(NearDuplicateFilter::smallest));

    PCollection<KV<String, String>> details =
        neighbours
            .apply(
                "Describe neighbours",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((KV<String, String> n) -> KV.of(n.getKey(), detail(n.getValue()))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return input.apply(
        "Drop near duplicates", new DropDecided<>(details, identity, DedupReasons.DUP_IMAGE_NEAR));
  }

  /** The reject detail of a neighbour description "id:distance". */
  static String detail(String neighbour) {
    int colon = neighbour.lastIndexOf(':');
    return "perceptual hash within "
        + neighbour.substring(colon + 1)
        + " bits of "
        + neighbour.substring(0, colon);
  }

  /** Of two "id:distance" neighbour descriptions, the one with the smaller id. */
  static String smallest(Iterable<String> neighbours) {
    String best = null;
    for (String n : neighbours) {
      if (best == null || n.compareTo(best) < 0) {
        best = n;
      }
    }
    return best;
  }

  static final class BandFn<T> extends DoFn<T, KV<String, KV<String, Long>>> {
    private final SerializableFunction<T, Long> hash;
    private final RecordIdentity<T> identity;
    private final HashBands bands;

    BandFn(SerializableFunction<T, Long> hash, RecordIdentity<T> identity, HashBands bands) {
      this.hash = hash;
      this.identity = identity;
      this.bands = bands;
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<KV<String, KV<String, Long>>> out) {
      Long h = hash.apply(record);
      if (h == null) {
        return;
      }
      KV<String, Long> value = KV.of(identity.sampleId(record), h);
      for (int b = 0; b < bands.count(); b++) {
        out.output(KV.of(bands.key(h, b), value));
      }
    }
  }

  /** For each record in a band group, its smallest-id neighbour within the radius, if any. */
  static final class CompareFn
      extends DoFn<KV<String, Iterable<KV<String, Long>>>, KV<String, String>> {
    private final int radius;
    private final Distribution groupSize = Metrics.distribution(STAGE, "near_dup_band_group_size");

    CompareFn(int radius) {
      this.radius = radius;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, Long>>> group,
        OutputReceiver<KV<String, String>> out) {
      List<KV<String, Long>> members = new ArrayList<>();
      group.getValue().forEach(members::add);
      groupSize.update(members.size());
      if (members.size() < 2) {
        return;
      }
      members.sort(Comparator.comparing(KV::getKey));
      for (int i = 1; i < members.size(); i++) {
        long hi = members.get(i).getValue();
        for (int j = 0; j < i; j++) {
          int distance = Long.bitCount(hi ^ members.get(j).getValue());
          if (distance <= radius && !members.get(j).getKey().equals(members.get(i).getKey())) {
            out.output(KV.of(members.get(i).getKey(), members.get(j).getKey() + ":" + distance));
            break;
          }
        }
      }
    }
  }
}
