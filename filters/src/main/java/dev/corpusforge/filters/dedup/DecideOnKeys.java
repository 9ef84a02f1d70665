package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.StepResult;
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
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Whole-corpus decisions (caption frequency, exact and near duplicates) taken on a light copy of
 * each record, its payload (image bytes) left out, one after another; the records the last one
 * keeps are then joined back to their full selves by sample id. The payload crosses one shuffle
 * instead of one or two per decision, and the decisions' sorts hold ids and keys only.
 *
 * <p>Each decision must only keep or reject the records it is given, never change them: what comes
 * out is the full record as it came in.
 */
public final class DecideOnKeys<T> extends PTransform<PCollection<T>, StepResult<T>> {
  private final SerializableFunction<T, T> light;
  private final RecordIdentity<T> identity;
  private final Map<String, PTransform<PCollection<T>, StepResult<T>>> decisions;

  private DecideOnKeys(
      SerializableFunction<T, T> light,
      RecordIdentity<T> identity,
      Map<String, PTransform<PCollection<T>, StepResult<T>>> decisions) {
    this.light = light;
    this.identity = identity;
    this.decisions = decisions;
  }

  /** {@code light} makes a record's copy without its payload, sample id and source kept. */
  public static <T> DecideOnKeys<T> of(
      SerializableFunction<T, T> light, RecordIdentity<T> identity) {
    return new DecideOnKeys<>(light, identity, new LinkedHashMap<>());
  }

  /** Adds a decision under {@code name}, taken on what the decisions before it kept. */
  public DecideOnKeys<T> then(String name, PTransform<PCollection<T>, StepResult<T>> decision) {
    Map<String, PTransform<PCollection<T>, StepResult<T>>> more = new LinkedHashMap<>(decisions);
    if (more.put(name, decision) != null) {
      throw new IllegalArgumentException("two decisions named " + name);
    }
    return new DecideOnKeys<>(light, identity, more);
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
    for (Map.Entry<String, PTransform<PCollection<T>, StepResult<T>>> d : decisions.entrySet()) {
      StepResult<T> result = keys.apply(d.getKey(), d.getValue());
      rejects.add(result.rejects());
      keys = result.kept();
    }
    // locals, so that the functions below do not capture this transform (and its decisions' inputs)
    RecordIdentity<T> ids = identity;
    SerializableFunction<T, String> sampleId = ids::sampleId;
    TupleTag<T> recordsTag = new TupleTag<>();
    TupleTag<Void> keptTag = new TupleTag<>();
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
    PCollection<T> kept =
        KeyedPCollectionTuple.of(recordsTag, byId)
            .and(keptTag, keptIds)
            .apply("Join kept ids", CoGroupByKey.create())
            .apply("Kept records", ParDo.of(new KeptFn<>(recordsTag, keptTag)))
            .setCoder(input.getCoder());
    PCollection<Reject> allRejects =
        PCollectionList.of(rejects).apply("Decisions' rejects", Flatten.pCollections());
    return new StepResult<>(
        input.getPipeline(), new TupleTag<>(), kept, new TupleTag<>(), allRejects);
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

  /** The full records of an id that every decision kept; nothing for one a decision rejected. */
  static final class KeptFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> recordsTag;
    private final TupleTag<Void> keptTag;

    KeptFn(TupleTag<T> recordsTag, TupleTag<Void> keptTag) {
      this.recordsTag = recordsTag;
      this.keptTag = keptTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, OutputReceiver<T> out) {
      if (!group.getValue().getAll(keptTag).iterator().hasNext()) {
        return;
      }
      for (T record : group.getValue().getAll(recordsTag)) {
        out.output(record);
      }
    }
  }
}
