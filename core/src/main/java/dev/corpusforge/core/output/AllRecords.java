package dev.corpusforge.core.output;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Every record of a collection in one list, for the one call that writes a file whole (COCO's
 * annotations.json, LLaVA's JSON, GraphCLIP's summary.json): exactly one list, empty when the
 * collection is. The records must fit in one worker's memory, as the file they make must.
 */
public final class AllRecords<T> extends PTransform<PCollection<T>, PCollection<List<T>>> {
  private AllRecords() {}

  public static <T> AllRecords<T> inOneList() {
    return new AllRecords<>();
  }

  /**
   * Each record as a one-record list under one key, beside one empty list, grouped: the empty list
   * makes exactly one group, and the records reach the one worker one by one, so no record the
   * runner sorts or ships is bigger than one input record (a combine would ship each worker's
   * partial list as one record, which outgrows Flink's sort buffers on large exports), and no
   * default value is computed (a {@code Combine.globally} with defaults reads its whole output back
   * as a side input).
   */
  @Override
  public PCollection<List<T>> expand(PCollection<T> records) {
    Coder<List<T>> lists = ListCoder.of(records.getCoder());
    KvCoder<Integer, List<T>> keyed = KvCoder.of(VarIntCoder.of(), lists);
    PCollection<KV<Integer, List<T>>> each =
        records.apply("Each as a list", ParDo.of(new AsListFn<T>())).setCoder(keyed);
    PCollection<KV<Integer, List<T>>> none =
        records
            .getPipeline()
            .apply("An empty list", Create.of(KV.of(0, List.<T>of())).withCoder(keyed));
    return PCollectionList.of(each)
        .and(none)
        .apply("Lists", Flatten.pCollections())
        .apply("One group", GroupByKey.create())
        .apply("One list", ParDo.of(new ConcatFn<T>()))
        .setCoder(lists);
  }

  static final class AsListFn<T> extends DoFn<T, KV<Integer, List<T>>> {
    @ProcessElement
    public void process(@Element T record, OutputReceiver<KV<Integer, List<T>>> out) {
      out.output(KV.of(0, List.of(record)));
    }
  }

  static final class ConcatFn<T> extends DoFn<KV<Integer, Iterable<List<T>>>, List<T>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<List<T>>> group, OutputReceiver<List<T>> out) {
      List<T> all = new ArrayList<>();
      group.getValue().forEach(all::addAll);
      out.output(all);
    }
  }
}
