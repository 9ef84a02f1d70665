package dev.corpusforge.core.output;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
   * Each record as a one-record list, beside one empty list, concatenated by a combine without
   * defaults: the empty list makes exactly one output, and no default value is computed (a {@code
   * Combine.globally} with defaults reads its whole output back as a side input to learn whether it
   * is empty, which for 63 k GraphCLIP entries cost as much as the combine itself).
   */
  @Override
  public PCollection<List<T>> expand(PCollection<T> records) {
    Coder<List<T>> lists = ListCoder.of(records.getCoder());
    PCollection<List<T>> each =
        records.apply("Each as a list", ParDo.of(new AsListFn<T>())).setCoder(lists);
    PCollection<List<T>> none =
        records
            .getPipeline()
            .apply("An empty list", Create.of(List.of(List.<T>of())).withCoder(lists));
    return PCollectionList.of(each)
        .and(none)
        .apply("Lists", Flatten.pCollections())
        .apply("One list", Combine.globally(new ListFn<T>()).withoutDefaults())
        .setCoder(lists);
  }

  static final class AsListFn<T> extends DoFn<T, List<T>> {
    @ProcessElement
    public void process(@Element T record, OutputReceiver<List<T>> out) {
      out.output(List.of(record));
    }
  }

  static final class ListFn<T> extends Combine.CombineFn<List<T>, List<T>, List<T>> {
    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> acc, List<T> records) {
      acc.addAll(records);
      return acc;
    }

    @Override
    public List<T> mergeAccumulators(Iterable<List<T>> accs) {
      List<T> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public List<T> extractOutput(List<T> acc) {
      return acc;
    }

    @Override
    public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<List<T>> inputCoder) {
      return inputCoder;
    }

    @Override
    public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<List<T>> inputCoder) {
      return inputCoder;
    }
  }
}
