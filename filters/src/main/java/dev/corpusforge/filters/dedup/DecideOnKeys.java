package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.Tally;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Whole-corpus decisions (caption frequency, exact and near duplicates) taken on a light copy of
 * each record, its payload (image bytes) left out, one after another; the records the last one
 * keeps are then joined back to their full selves by sample id. The payload crosses one shuffle
 * instead of one or two per decision, and the decisions' sorts hold ids and keys only.
 *
 * <p>Each decision must only keep or reject the records it is given, never change them: what comes
 * out is the full record as it came in. The decisions' tallies are the result's, and a {@link
 * DroppedCounter} adds what it counts on each dropped record, payload included.
 */
public final class DecideOnKeys<T> extends PTransform<PCollection<T>, StepResult<T>> {
  private final SerializableFunction<T, T> light;
  private final RecordIdentity<T> identity;
  private final Map<String, PTransform<PCollection<T>, StepResult<T>>> decisions;
  private final DroppedCounter<T> dropped;

  /**
   * Counts something of each record a decision dropped (the tokens it held, say), on the full
   * record and its reject row; set up once per worker.
   */
  public interface DroppedCounter<T> extends java.io.Serializable {
    default void setup() throws Exception {}

    Tally count(T record, Reject reject);

    default void teardown() {}
  }

  private DecideOnKeys(
      SerializableFunction<T, T> light,
      RecordIdentity<T> identity,
      Map<String, PTransform<PCollection<T>, StepResult<T>>> decisions,
      DroppedCounter<T> dropped) {
    this.light = light;
    this.identity = identity;
    this.decisions = decisions;
    this.dropped = dropped;
  }

  /** {@code light} makes a record's copy without its payload, sample id and source kept. */
  public static <T> DecideOnKeys<T> of(
      SerializableFunction<T, T> light, RecordIdentity<T> identity) {
    return new DecideOnKeys<>(light, identity, new LinkedHashMap<>(), null);
  }

  /** Adds a decision under {@code name}, taken on what the decisions before it kept. */
  public DecideOnKeys<T> then(String name, PTransform<PCollection<T>, StepResult<T>> decision) {
    Map<String, PTransform<PCollection<T>, StepResult<T>>> more = new LinkedHashMap<>(decisions);
    if (more.put(name, decision) != null) {
      throw new IllegalArgumentException("two decisions named " + name);
    }
    return new DecideOnKeys<>(light, identity, more, dropped);
  }

  /** These decisions, with {@code counter} counting on each record they drop. */
  public DecideOnKeys<T> countingDropped(DroppedCounter<T> counter) {
    return new DecideOnKeys<>(light, identity, decisions, counter);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    if (decisions.isEmpty()) {
      throw new IllegalStateException("no decision to take: add one with then(…)");
    }
    PCollection<T> keys =
        input
            .apply("Leave out payloads", MapElements.via(new Light<>(light)))
            .setCoder(input.getCoder());
    List<PCollection<Reject>> rejects = new ArrayList<>();
    List<PCollection<Tally>> tallies = new ArrayList<>();
    for (Map.Entry<String, PTransform<PCollection<T>, StepResult<T>>> d : decisions.entrySet()) {
      StepResult<T> result = keys.apply(d.getKey(), d.getValue());
      rejects.add(result.rejects());
      if (result.tallies() != null) {
        tallies.add(result.tallies());
      }
      keys = result.kept();
    }
    PCollection<Reject> allRejects =
        PCollectionList.of(rejects).apply("Decisions' rejects", Flatten.pCollections());
    // locals, so that the functions below do not capture this transform (and its decisions' inputs)
    RecordIdentity<T> ids = identity;
    SerializableFunction<T, String> sampleId = ids::sampleId;
    TupleTag<T> recordsTag = new TupleTag<>();
    TupleTag<Void> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<T> outTag = new TupleTag<>();
    TupleTag<Tally> droppedTag = new TupleTag<>();
    PCollection<KV<String, T>> byId =
        input
            .apply("Key records by id", WithKeys.of(sampleId))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()));
    PCollection<KV<String, Void>> keptIds =
        keys.apply(
                "Kept ids",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.voids()))
                    .via((T record) -> KV.of(ids.sampleId(record), (Void) null)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VoidCoder.of()));
    KeyedPCollectionTuple<String> joined =
        KeyedPCollectionTuple.of(recordsTag, byId).and(keptTag, keptIds);
    if (dropped != null) {
      joined =
          joined.and(
              rejectTag,
              allRejects
                  .apply(
                      "Rejects by id",
                      WithKeys.of((Reject r) -> r.getSampleId())
                          .withKeyType(TypeDescriptors.strings()))
                  .setCoder(KvCoder.of(StringUtf8Coder.of(), allRejects.getCoder())));
    }
    PCollectionTuple out =
        joined
            .apply("Join kept ids", CoGroupByKey.create())
            .apply(
                "Kept records",
                ParDo.of(new KeptFn<>(recordsTag, keptTag, rejectTag, outTag, droppedTag, dropped))
                    .withOutputTags(outTag, TupleTagList.of(droppedTag)));
    PCollection<T> kept = out.get(outTag).setCoder(input.getCoder());
    PCollection<Tally> droppedTallies = out.get(droppedTag).setCoder(Tally.coder());
    if (dropped != null) {
      tallies.add(droppedTallies);
    }
    StepResult<T> result =
        new StepResult<>(input.getPipeline(), new TupleTag<>(), kept, new TupleTag<>(), allRejects);
    return tallies.isEmpty()
        ? result
        : result.withTallies(
            PCollectionList.of(tallies)
                .apply("Decisions' tallies", Flatten.pCollections())
                .setCoder(Tally.coder()));
  }

  private static final class Light<T> extends org.apache.beam.sdk.transforms.SimpleFunction<T, T> {
    private final SerializableFunction<T, T> light;

    Light(SerializableFunction<T, T> light) {
      this.light = light;
    }

    @Override
    public T apply(T record) {
      return light.apply(record);
    }
  }

  /**
   * The full records of an id that every decision kept; nothing for one a decision rejected, beside
   * what the {@link DroppedCounter} (if any) counts on it.
   */
  static final class KeptFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> recordsTag;
    private final TupleTag<Void> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final TupleTag<T> outTag;
    private final TupleTag<Tally> droppedTag;
    private final DroppedCounter<T> dropped;

    KeptFn(
        TupleTag<T> recordsTag,
        TupleTag<Void> keptTag,
        TupleTag<Reject> rejectTag,
        TupleTag<T> outTag,
        TupleTag<Tally> droppedTag,
        DroppedCounter<T> dropped) {
      this.recordsTag = recordsTag;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.outTag = outTag;
      this.droppedTag = droppedTag;
      this.dropped = dropped;
    }

    @Setup
    public void setup() throws Exception {
      if (dropped != null) {
        dropped.setup();
      }
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver out) {
      if (group.getValue().getAll(keptTag).iterator().hasNext()) {
        for (T record : group.getValue().getAll(recordsTag)) {
          out.get(outTag).output(record);
        }
        return;
      }
      if (dropped == null) {
        return;
      }
      Reject reject = group.getValue().getOnly(rejectTag, null);
      if (reject == null) {
        return;
      }
      for (T record : group.getValue().getAll(recordsTag)) {
        Tally counted = dropped.count(record, reject);
        if (counted != null && !counted.isEmpty()) {
          out.get(droppedTag).output(counted);
        }
      }
    }

    @Teardown
    public void teardown() {
      if (dropped != null) {
        dropped.teardown();
      }
    }
  }
}
