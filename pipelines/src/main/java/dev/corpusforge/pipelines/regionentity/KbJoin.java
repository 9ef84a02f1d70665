package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.pipelines.io.ReadReasons;
import dev.corpusforge.pipelines.io.TableFiles;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Fills a row's missing type from the knowledge-base table ({@code --kb}: entity id → type or
 * parent-class label), joined by entity id so the table never has to fit on one worker. An entity
 * with several labels takes the first in sort order; a row's own type wins over the table's.
 */
final class KbJoin {
  private KbJoin() {}

  static PCollection<RegionRow> apply(
      PCollection<RegionRow> rows, List<String> kb, String idColumn, String labelColumn) {
    PCollection<KV<String, String>> labels =
        rows.getPipeline()
            .apply("KB tables", Create.of(kb))
            .apply(
                "List KB files",
                FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply(
                "Read KB",
                ParDo.of(
                    new DoFn<MatchResult.Metadata, KV<String, String>>() {
                      @ProcessElement
                      public void process(
                          @Element MatchResult.Metadata file,
                          OutputReceiver<KV<String, String>> out) {
                        TableFiles.readAll(
                            file,
                            List.of(idColumn, labelColumn),
                            "KB table",
                            new TableFiles.Sink() {
                              @Override
                              public void row(TableFiles.Row r) {
                                String id = r.text(idColumn);
                                String label = r.text(labelColumn);
                                if (id != null
                                    && !id.isBlank()
                                    && label != null
                                    && !label.isBlank()) {
                                  out.output(KV.of(id.strip(), label.strip()));
                                }
                              }

                              @Override
                              public void malformed(String ref, String reason, String detail) {
                                if (reason.equals(ReadReasons.UNSUPPORTED_FILE)) {
                                  throw new IllegalArgumentException("--kb " + ref + ": " + detail);
                                }
                                // a KB row or file tail that cannot be read gives no labels; the
                                // rows it would have
                                // typed keep theirs
                              }
                            });
                      }
                    }))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    TupleTag<RegionRow> rowTag = new TupleTag<>();
    TupleTag<String> labelTag = new TupleTag<>();
    PCollection<KV<String, RegionRow>> keyed =
        rows.apply(
                "Rows by entity",
                WithKeys.of(RegionRow::entityId).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RegionRow.class)));
    return KeyedPCollectionTuple.of(rowTag, keyed)
        .and(labelTag, labels)
        .apply("Join the KB", CoGroupByKey.create())
        .apply(
            "Types from the KB",
            ParDo.of(
                new DoFn<KV<String, CoGbkResult>, RegionRow>() {
                  @ProcessElement
                  public void process(
                      @Element KV<String, CoGbkResult> group, OutputReceiver<RegionRow> out) {
                    TreeSet<String> found = new TreeSet<>();
                    group.getValue().getAll(labelTag).forEach(found::add);
                    String label = found.isEmpty() ? null : found.first();
                    for (RegionRow row : group.getValue().getAll(rowTag)) {
                      out.output(
                          row.entityType() != null || label == null ? row : row.withType(label));
                    }
                  }
                }))
        .setCoder(SerializableCoder.of(RegionRow.class));
  }
}
