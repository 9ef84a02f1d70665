package dev.corpusforge.core.read;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RecordSink;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.IOException;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The one reader of table inputs: file patterns → the files they match → every row ({@link
 * TableFiles}: CSV, TSV, JSON lines, Parquet; local or any Beam file system) → a record through the
 * family's {@link RowParser}, or a reject. Every row ends as one or the other:
 *
 * <ul>
 *   <li>a row the format cannot read ({@code malformed_row}, {@code invalid_encoding}), a file that
 *       is no table ({@code unsupported_file}) and a file that breaks mid-way ({@code
 *       malformed_file}, after the rows read so far) are rejects of the stage {@code read};
 *   <li>a row the parser drops is a reject of the parser's stage ({@link #withRowStage}, {@code
 *       read} unless set) with the parser's reason; a parser that throws rejects that row alone as
 *       {@code error:<ExceptionClass>}.
 * </ul>
 *
 * Reject rows are identified as the records are, by {@code file#row} ({@link SampleIds}).
 *
 * <pre>{@code
 * StepResult<Node> nodes = pipeline.apply("Read nodes",
 *     ReadTable.of("node table", patterns, List.of("id"), new NodeRows(columns), nodeCoder));
 * }</pre>
 */
public final class ReadTable<T> extends PTransform<PBegin, StepResult<T>> {
  /** Turns one row into a record: keep it, or drop it with a reason. */
  public interface RowParser<T> extends Serializable {
    Outcome<T> parse(TableFiles.Row row, ResourceId file) throws Exception;
  }

  /** Turns one file that is no table of the accepted formats into a record, or drops it. */
  public interface FileParser<T> extends Serializable {
    Outcome<T> parse(ResourceId file) throws Exception;
  }

  /**
   * Reads one file into any number of records and rejects (a tar shard into its samples), each with
   * its own id; it reports its own damage (a shard broken mid-way) as rejects.
   */
  public interface FileRecords<T> extends Serializable {
    void read(MatchResult.Metadata file, RecordSink<T> out) throws Exception;
  }

  private final String what;
  private final List<String> patterns;
  private final List<String> requiredColumns;
  private final RowParser<T> rows;
  private final Coder<T> coder;
  private String rowStage = ReadReasons.STAGE;
  private EmptyMatchTreatment emptyMatch = EmptyMatchTreatment.ALLOW;
  private Set<TableFiles.Format> formats = EnumSet.allOf(TableFiles.Format.class);
  private FileParser<T> otherFiles;
  private FileRecords<T> fileRecords;
  private boolean spread;
  private boolean spreadFiles;
  private ReadLimits limits = ReadLimits.DEFAULT;

  private ReadTable(
      String what,
      List<String> patterns,
      List<String> requiredColumns,
      RowParser<T> rows,
      Coder<T> coder) {
    this.what = what;
    this.patterns = List.copyOf(patterns);
    this.requiredColumns = List.copyOf(requiredColumns);
    this.rows = Objects.requireNonNull(rows, "rows");
    this.coder = Objects.requireNonNull(coder, "coder");
  }

  /** A copy to change one setting of; the original stays as it was. */
  private ReadTable<T> copy() {
    ReadTable<T> c = new ReadTable<>(what, patterns, requiredColumns, rows, coder);
    c.rowStage = rowStage;
    c.emptyMatch = emptyMatch;
    c.formats = formats;
    c.otherFiles = otherFiles;
    c.fileRecords = fileRecords;
    c.spread = spread;
    c.spreadFiles = spreadFiles;
    c.limits = limits;
    return c;
  }

  /**
   * @param what what the files are, for details ("URL list", "node table")
   * @param requiredColumns columns a CSV/TSV header must name (every row of a file without one is
   *     {@code malformed_row})
   */
  public static <T> ReadTable<T> of(
      String what,
      List<String> patterns,
      List<String> requiredColumns,
      RowParser<T> rows,
      Coder<T> coder) {
    return new ReadTable<>(what, patterns, requiredColumns, rows, coder);
  }

  /**
   * Reads every matched file as one record through {@code files}, no file as a table (a folder of
   * images).
   */
  public static <T> ReadTable<T> ofFiles(
      String what, List<String> patterns, FileParser<T> files, Coder<T> coder) {
    return new ReadTable<>(what, patterns, List.of(), noRows(), coder)
        .withOtherFiles(EnumSet.noneOf(TableFiles.Format.class), files);
  }

  private static <T> RowParser<T> noRows() {
    return (row, file) -> {
      throw new IllegalStateException("no table is read as rows here");
    };
  }

  /**
   * Reads every matched file into any number of records through {@code files}, no file as a table
   * (WebDataset shards).
   */
  public static <T> ReadTable<T> ofFileRecords(
      String what, List<String> patterns, FileRecords<T> files, Coder<T> coder) {
    ReadTable<T> read = new ReadTable<>(what, patterns, List.of(), noRows(), coder);
    read.formats = EnumSet.noneOf(TableFiles.Format.class);
    read.fileRecords = Objects.requireNonNull(files, "files");
    return read;
  }

  /** What one file may cost its reader (decompressed bytes, bytes per row). */
  public ReadTable<T> withLimits(ReadLimits limits) {
    ReadTable<T> c = copy();
    c.limits = Objects.requireNonNull(limits, "limits");
    return c;
  }

  /** Spreads the matched files over the workers before they are read (few, large files). */
  public ReadTable<T> spreadFiles() {
    ReadTable<T> c = copy();
    c.spreadFiles = true;
    return c;
  }

  /** The stage of the rejects of rows the parser drops. */
  public ReadTable<T> withRowStage(String stage) {
    ReadTable<T> c = copy();
    c.rowStage = stage;
    return c;
  }

  /** Fails the job when a pattern matches no file (for inputs that must exist, like a KB). */
  public ReadTable<T> requiringMatches() {
    ReadTable<T> c = copy();
    c.emptyMatch = EmptyMatchTreatment.DISALLOW;
    return c;
  }

  /**
   * Reads only tables of {@code accepted}; every other file becomes one record through {@code
   * parser} (a folder of plain-text documents beside JSON lines).
   */
  public ReadTable<T> withOtherFiles(Set<TableFiles.Format> accepted, FileParser<T> parser) {
    ReadTable<T> c = copy();
    c.formats =
        accepted.isEmpty() ? EnumSet.noneOf(TableFiles.Format.class) : EnumSet.copyOf(accepted);
    c.otherFiles = parser;
    return c;
  }

  /**
   * Spreads the records over all workers: each file is read by one worker, so a few large files
   * would otherwise leave the rest idle in the stages after the read.
   */
  public ReadTable<T> spread() {
    ReadTable<T> c = copy();
    c.spread = true;
    return c;
  }

  @Override
  public StepResult<T> expand(PBegin begin) {
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollection<MatchResult.Metadata> files =
        begin
            .apply("Patterns", Create.of(patterns))
            .apply("List files", FileIO.matchAll().withEmptyMatchTreatment(emptyMatch));
    if (spreadFiles) {
      files = files.apply("Spread files", Reshuffle.viaRandomKey());
    }
    PCollectionTuple out =
        files.apply(
            fileRecords != null ? "Read records" : "Read rows",
            ParDo.of(new ReadFn<>(this, keptTag, rejectTag))
                .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    StepResult<T> read = StepResult.of(out, keptTag, coder, rejectTag);
    if (!spread) {
      return read;
    }
    PCollection<T> spreadRecords = read.kept().apply("Spread", Reshuffle.viaRandomKey());
    return new StepResult<>(begin.getPipeline(), keptTag, spreadRecords, rejectTag, read.rejects());
  }

  static final class ReadFn<T> extends DoFn<MatchResult.Metadata, T> {
    private final ReadTable<T> spec;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;

    ReadFn(ReadTable<T> spec, TupleTag<T> keptTag, TupleTag<Reject> rejectTag) {
      this.spec = spec;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String path = file.resourceId().toString();
      if (spec.fileRecords != null) {
        readRecords(file, path, out);
        return;
      }
      TableFiles.Format format = TableFiles.formatOf(path);
      if (format == TableFiles.Format.PARQUET && Decompression.isCompressed(path)) {
        format = null; // Parquet compresses its own pages: a compressed Parquet file is no table
      }
      if (format == null || !spec.formats.contains(format)) {
        if (spec.otherFiles == null) {
          reject(
              out,
              path,
              ReadReasons.STAGE,
              ReadReasons.UNSUPPORTED_FILE,
              "not a .csv, .tsv, .jsonl or .parquet " + spec.what);
        } else {
          emit(out, path, () -> spec.otherFiles.parse(file.resourceId()));
        }
        return;
      }
      long[] row = {0};
      try {
        TableFiles.read(
            file,
            format,
            spec.requiredColumns,
            spec.limits,
            row,
            new TableFiles.Sink() {
              @Override
              public void row(TableFiles.Row r) {
                emit(out, r.ref(), () -> spec.rows.parse(r, file.resourceId()));
              }

              @Override
              public void malformed(String ref, String reason, String detail) {
                reject(out, ref, ReadReasons.STAGE, reason, detail);
              }
            });
      } catch (IOException | RuntimeException e) {
        reject(
            out,
            path + "#@" + (row[0] + 1),
            ReadReasons.STAGE,
            ReadReasons.MALFORMED_FILE,
            "unreadable after row "
                + row[0]
                + ": "
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage());
      }
    }

    private void readRecords(MatchResult.Metadata file, String path, MultiOutputReceiver out) {
      try {
        spec.fileRecords.read(
            file,
            new RecordSink<>() {
              @Override
              public void kept(T record) {
                out.get(keptTag).output(record);
              }

              @Override
              public void rejected(Reject reject) {
                out.get(rejectTag).output(reject);
              }
            });
      } catch (Exception | StackOverflowError e) {
        reject(
            out,
            path,
            ReadReasons.STAGE,
            ReadReasons.MALFORMED_FILE,
            "unreadable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }

    private interface Parse<T> {
      Outcome<T> parse() throws Exception;
    }

    private void emit(MultiOutputReceiver out, String ref, Parse<T> parse) {
      try {
        Outcome<T> outcome = parse.parse();
        if (outcome.kept()) {
          out.get(keptTag).output(outcome.value());
        } else {
          reject(out, ref, spec.rowStage, outcome.reason(), outcome.detail());
        }
      } catch (RuleViolation v) {
        reject(out, ref, spec.rowStage, v.reason(), v.detail());
      } catch (Exception | StackOverflowError e) {
        out.get(rejectTag).output(Rejects.ofError(TableFiles.sampleId(ref), ref, spec.rowStage, e));
      }
    }

    private void reject(
        MultiOutputReceiver out, String ref, String stage, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(TableFiles.sampleId(ref), ref, stage, reason, detail));
    }
  }
}
