package dev.corpusforge.core.output;

import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes what every pipeline writes: kept records to {@code data/part-*.parquet}, rejects to {@code
 * rejects/part-*.parquet}, and the run statistics (reject counts, reject previews, the accounting
 * check, and any pipeline-specific lines) to {@code _run/stats.jsonl} for the driver.
 */
public final class CorpusWriter extends PTransform<PBegin, PDone> {
  /** Reject rows per reason kept for the report. */
  static final int REJECT_PREVIEWS_PER_REASON = 4;

  /**
   * Bytes of a data file's row group. Parquet holds a whole row group in memory until it is
   * flushed, once per open file, so its 128 MB default held a quarter of a 2 GB heap with images in
   * the rows; 32 MB still makes row groups of hundreds of rows at the sizes written here.
   */
  static final int ROW_GROUP_BYTES = 32 << 20;

  private final OutputLayout layout;
  private final Schema dataSchema;
  private final PCollection<? extends GenericRecord> kept;
  private final PCollection<KV<String, String>> writtenData;
  private final PCollection<String> keptSourceIds;
  private final PCollection<Reject> rejects;
  private final PCollection<String> inputIds;
  private final List<PCollection<String>> extraStats;
  private final SerializableFunction<GenericRecord, String> partition;

  private CorpusWriter(
      OutputLayout layout,
      Schema dataSchema,
      PCollection<? extends GenericRecord> kept,
      PCollection<KV<String, String>> writtenData,
      PCollection<String> keptSourceIds,
      PCollection<Reject> rejects,
      PCollection<String> inputIds,
      List<PCollection<String>> extraStats,
      SerializableFunction<GenericRecord, String> partition) {
    this.layout = layout;
    this.dataSchema = dataSchema;
    this.kept = kept;
    this.writtenData = writtenData;
    this.keptSourceIds = keptSourceIds;
    this.rejects = rejects;
    this.inputIds = inputIds;
    this.extraStats = extraStats;
    this.partition = partition;
  }

  /**
   * @param kept the kept records, in {@code dataSchema}
   * @param keptSourceIds for each kept record, the id of the input record it derives from
   * @param inputIds one id per input record read
   * @param extraStats pipeline-specific stats lines (histograms, previews, exports)
   */
  public static CorpusWriter of(
      OutputLayout layout,
      Schema dataSchema,
      PCollection<? extends GenericRecord> kept,
      PCollection<String> keptSourceIds,
      PCollection<Reject> rejects,
      PCollection<String> inputIds,
      List<PCollection<String>> extraStats) {
    return new CorpusWriter(
        layout,
        dataSchema,
        kept,
        null,
        keptSourceIds,
        rejects,
        inputIds,
        List.copyOf(extraStats),
        null);
  }

  /**
   * As {@link #of}, for kept records already written by the step that made them through {@link
   * #dataParts}'s {@link ParquetParts#bundleFiles()}: {@code writtenData} names their files, which
   * this places.
   */
  public static CorpusWriter ofWritten(
      OutputLayout layout,
      Schema dataSchema,
      PCollection<KV<String, String>> writtenData,
      PCollection<String> keptSourceIds,
      PCollection<Reject> rejects,
      PCollection<String> inputIds,
      List<PCollection<String>> extraStats) {
    return new CorpusWriter(
        layout,
        dataSchema,
        null,
        writtenData,
        keptSourceIds,
        rejects,
        inputIds,
        List.copyOf(extraStats),
        null);
  }

  /**
   * Writes data into one sub-folder per partition, {@code data/<partition>/part-*.parquet} (e.g.
   * {@code len=256}).
   */
  public CorpusWriter partitionedBy(SerializableFunction<GenericRecord, String> partition) {
    return new CorpusWriter(
        layout,
        dataSchema,
        kept,
        writtenData,
        keptSourceIds,
        rejects,
        inputIds,
        extraStats,
        partition);
  }

  /**
   * The data files' writer: Parquet in {@link #ROW_GROUP_BYTES} row groups, image columns declared
   * for Hugging Face {@code datasets} ({@link ImageColumns}).
   */
  public static ParquetParts dataParts(OutputLayout layout, Schema dataSchema) {
    return ParquetParts.to(
        new AvroParquetSink(dataSchema, ROW_GROUP_BYTES, ImageColumns.parquetMetadata(dataSchema)),
        layout.data(),
        layout.runDir() + "/parts");
  }

  @Override
  public PDone expand(PBegin begin) {
    // ids, not records: cheap whatever the records carry, and one per kept input
    keptSourceIds.apply(
        ProgressMeter.stepName(ProgressMeter.KEPT), ProgressMeter.count(ProgressMeter.KEPT));
    rejects.apply(
        ProgressMeter.stepName(ProgressMeter.REJECTED),
        ProgressMeter.count(ProgressMeter.REJECTED));

    ParquetParts dataParts = dataParts(layout, dataSchema);
    if (partition != null) {
      dataParts = dataParts.partitionedBy(partition);
    }
    if (writtenData != null) {
      writtenData.apply("Write data", dataParts.placeFiles());
    } else {
      kept.apply(
              "As generic records",
              MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(r -> (GenericRecord) r))
          .setCoder(AvroCoder.of(dataSchema))
          .apply("Write data", dataParts);
    }
    rejects
        .apply(
            "Rejects as generic records",
            MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(r -> (GenericRecord) r))
        .setCoder(AvroCoder.of(Reject.getClassSchema()))
        .apply(
            "Write rejects",
            ParquetParts.to(
                ParquetIO.sink(Reject.getClassSchema()),
                layout.rejects(),
                layout.runDir() + "/parts"));

    List<PCollection<String>> stats = new ArrayList<>(extraStats);
    stats.add(
        rejects
            .apply(
                "Stage and reason",
                MapElements.into(TypeDescriptors.strings())
                    .via(r -> r.getStage() + "\t" + r.getReason()))
            .apply("Count by reason", Count.perElement())
            .apply(
                "Reason lines",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        kv -> {
                          String[] parts = kv.getKey().split("\t", 2);
                          return StatsLines.line("reject_count")
                              .put("stage", parts[0])
                              .put("reason", parts[1])
                              .put("count", kv.getValue())
                              .toString();
                        })));
    stats.add(
        rejects
            .apply(
                "Key by reason",
                WithKeys.of((Reject r) -> r.getStage() + "\t" + r.getReason())
                    .withKeyType(TypeDescriptors.strings()))
            .apply("Preview rejects", Top.perKey(REJECT_PREVIEWS_PER_REASON, new RejectOrder()))
            .apply(
                "Reject preview lines",
                MapElements.into(TypeDescriptors.strings()).via(CorpusWriter::rejectPreviews))
            .apply(
                "One line per preview",
                org.apache.beam.sdk.transforms.FlatMapElements.into(TypeDescriptors.strings())
                    .via((String s) -> List.of(s.split("\n")))));
    stats.add(inputIds.apply("Accounting", Accounting.of(keptSourceIds, rejects)));
    PCollectionList.of(stats)
        .apply("All stats", Flatten.pCollections())
        .apply("Write stats", LinesFile.to(layout.statsFile()));
    return PDone.in(begin.getPipeline());
  }

  private static String rejectPreviews(KV<String, List<Reject>> group) {
    StringBuilder lines = new StringBuilder();
    for (Reject r : group.getValue()) {
      if (lines.length() > 0) {
        lines.append('\n');
      }
      lines.append(
          StatsLines.line("preview")
              .put("status", "rejected")
              .put("sample_id", r.getSampleId())
              .put("source", r.getSource())
              .put("stage", r.getStage())
              .put("reason", r.getReason())
              .put("detail", r.getDetail())
              .toString());
    }
    return lines.toString();
  }

  /** Smallest sample ids first: {@link Top} keeps the largest, so the order is reversed. */
  static final class RejectOrder implements java.util.Comparator<Reject>, java.io.Serializable {
    @Override
    public int compare(Reject a, Reject b) {
      return b.getSampleId().compareTo(a.getSampleId());
    }
  }
}
