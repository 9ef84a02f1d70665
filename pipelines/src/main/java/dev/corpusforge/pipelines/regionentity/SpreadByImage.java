package dev.corpusforge.pipelines.regionentity;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spreads rows over the workers by their image: the rows that ground several entities in one image
 * reach the same worker one after another, where the image's region proposals and cut-out
 * embeddings, remembered for the last few images, are made once for all of them.
 */
final class SpreadByImage extends PTransform<PCollection<RegionRow>, PCollection<RegionRow>> {
  @Override
  public PCollection<RegionRow> expand(PCollection<RegionRow> rows) {
    SerializableFunction<RegionRow, String> image =
        r -> r.location() != null ? r.location() : r.sampleId();
    return rows.apply("Key by image", WithKeys.of(image))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), rows.getCoder()))
        .apply("Rows of one image", GroupByKey.create())
        .apply("One by one", ParDo.of(new Ungroup()))
        .setCoder(rows.getCoder());
  }

  private static final class Ungroup extends DoFn<KV<String, Iterable<RegionRow>>, RegionRow> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<RegionRow>> group, OutputReceiver<RegionRow> out) {
      for (RegionRow row : group.getValue()) {
        out.output(row);
      }
    }
  }
}
