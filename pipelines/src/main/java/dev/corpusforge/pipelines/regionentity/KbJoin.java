package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.read.ReadReasons;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.schemas.Reject;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
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
final class KbJoin extends PTransform<PCollection<RegionRow>, PCollection<RegionRow>> {
  private final List<String> kbPatterns;
  private final String idColumn;
  private final String labelColumn;

  KbJoin(List<String> kbPatterns, String idColumn, String labelColumn) {
    this.kbPatterns = List.copyOf(kbPatterns);
    this.idColumn = idColumn;
    this.labelColumn = labelColumn;
  }

  @Override
  public PCollection<RegionRow> expand(PCollection<RegionRow> rows) {
    StepResult<KV<String, String>> kb =
        rows.getPipeline()
            .apply(
                "Read KB",
                ReadTable.of(
                        "KB table",
                        kbPatterns,
                        List.of(idColumn, labelColumn),
                        new Labels(idColumn, labelColumn),
                        KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
                    .requiringMatches());
    // a KB row or file tail that cannot be read gives no labels (the rows it would have typed keep
    // theirs); a KB file that is no table at all is a mistake in the command
    kb.rejects().apply("Refuse KB files that are no tables", ParDo.of(new RefuseNoTables()));
    PCollection<KV<String, String>> labels = kb.kept();
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

  /** The (entity id, type) of a KB row with both. */
  record Labels(String idColumn, String labelColumn)
      implements ReadTable.RowParser<KV<String, String>> {
    @Override
    public Outcome<KV<String, String>> parse(TableFiles.Row r, ResourceId file) {
      String id = r.text(idColumn);
      String label = r.text(labelColumn);
      if (id == null || id.isBlank() || label == null || label.isBlank()) {
        return Outcome.drop("kb_row_incomplete", null);
      }
      return Outcome.keep(KV.of(id.strip(), label.strip()));
    }
  }

  static final class RefuseNoTables extends DoFn<Reject, Void> {
    @ProcessElement
    public void process(@Element Reject r) {
      if (r.getReason().equals(ReadReasons.UNSUPPORTED_FILE)) {
        throw new IllegalArgumentException("--kb " + r.getSource() + ": " + r.getDetail());
      }
    }
  }
}
