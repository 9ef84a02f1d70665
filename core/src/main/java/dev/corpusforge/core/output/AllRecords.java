package dev.corpusforge.core.output;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

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

  @Override
  public PCollection<List<T>> expand(PCollection<T> records) {
    return records
        .apply("One list", Combine.globally(new ListFn<T>()))
        .setCoder(ListCoder.of(records.getCoder()));
  }

  static final class ListFn<T> extends Combine.CombineFn<T, List<T>, List<T>> {
    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> acc, T record) {
      acc.add(record);
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
    public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder)
        throws CannotProvideCoderException {
      return ListCoder.of(inputCoder);
    }

    @Override
    public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder) {
      return ListCoder.of(inputCoder);
    }
  }
}
