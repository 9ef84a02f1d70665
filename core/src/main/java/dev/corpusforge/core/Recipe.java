package dev.corpusforge.core;

import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.ImageColumns;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ParquetParts;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.core.read.InputSelection;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A family's recipe as a chain of named stages, from the records read to the corpus written. It
 * gathers what every pipeline must not forget: the id of every input read (for the accounting
 * check), the rejects of every stage, and the stages' tallies; {@link #write} ends it in {@link
 * CorpusWriter}.
 *
 * <pre>{@code
 * Recipe.read(inputs, readRejects, SomInput::sampleId)
 *     .then("Load image", Stage.of("image", new LoadImage(config), identity, coder))
 *     .then("Number marks", Stage.of("marks", new NumberMarks(minPixels), identity))
 *     ...
 *     .write(layout, SomSample.getClassSchema(), SomSample::getSampleId, stats);
 * }</pre>
 */
public final class Recipe<T> {
  /** What the stages so far have gathered; shared by every link of one chain. */
  private static final class Gathered {
    final List<PCollection<Reject>> rejects = new ArrayList<>();
    final List<PCollection<Tally>> tallies = new ArrayList<>();
    PCollection<String> inputIds;
    int settled;
  }

  /** The last stages, each reading one shared value, not applied yet: one {@link SharedChain}. */
  private record Sharing(PCollection<Carried<Object>> from, List<SharedChain.Link> links) {
    Sharing plus(SharedChain.Link link) {
      List<SharedChain.Link> more = new ArrayList<>(links);
      more.add(link);
      return new Sharing(from, more);
    }
  }

  private final Pipeline pipeline;
  private final Gathered gathered;
  private final String lastStage;
  private PCollection<Carried<T>> chain;
  private Sharing sharing;
  private PCollection<T> records;
  private boolean continued;

  private Recipe(
      Pipeline pipeline,
      Gathered gathered,
      String lastStage,
      PCollection<Carried<T>> chain,
      Sharing sharing) {
    this.pipeline = pipeline;
    this.gathered = gathered;
    this.lastStage = lastStage;
    this.chain = chain;
    this.sharing = sharing;
  }

  /**
   * Starts from the records read and the rejects of the read: every one of them is an input of the
   * run, identified by {@code sampleId} or by its reject row.
   */
  public static <T> Recipe<T> read(
      PCollection<T> records,
      PCollection<Reject> readRejects,
      SerializableFunction<T, String> sampleId) {
    String only = InputSelection.file(records.getPipeline().getOptions());
    if (only != null) {
      records =
          records.apply("Only the chosen inputs", Filter.by(InputSelection.keeps(only, sampleId)));
      readRejects =
          readRejects.apply(
              "Only the chosen unread inputs",
              Filter.by(InputSelection.keeps(only, Reject::getSampleId)));
    }
    Gathered gathered = new Gathered();
    gathered.rejects.add(readRejects);
    gathered.inputIds =
        PCollectionList.of(
                List.of(
                    records.apply(
                        "Read ids", MapElements.into(TypeDescriptors.strings()).via(sampleId)),
                    readRejects.apply(
                        "Unread ids",
                        MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId))))
            .apply("Input ids", Flatten.pCollections())
            .apply(
                ProgressMeter.stepName(ProgressMeter.READ),
                ProgressMeter.count(ProgressMeter.READ));
    Recipe<T> recipe = new Recipe<>(records.getPipeline(), gathered, "read", null, null);
    recipe.records = records;
    return recipe;
  }

  /** Starts from a reader's result. */
  public static <T> Recipe<T> read(StepResult<T> read, SerializableFunction<T, String> sampleId) {
    return read(read.kept(), read.rejects(), sampleId);
  }

  /**
   * The next stage, under {@code name}: its kept records go on to the next; its rejects and tallies
   * are carried down the chain and gathered where the chain ends. Consecutive stages reading the
   * same shared value run as one {@link SharedChain}, named after their nodes.
   */
  public <O> Recipe<O> then(String name, Stage<T, O> stage) {
    continued = true;
    PCollectionView<?> shared = stage.sharedView();
    if (shared != null && sharing != null && sharing.links().get(0).shared() == shared) {
      return new Recipe<>(
          pipeline, gathered, name, null, sharing.plus(new SharedChain.Link(name, stage)));
    }
    PCollection<Carried<T>> in = chain();
    if (shared != null) {
      @SuppressWarnings("unchecked")
      PCollection<Carried<Object>> from = (PCollection<Carried<Object>>) (PCollection<?>) in;
      return new Recipe<>(
          pipeline,
          gathered,
          name,
          null,
          new Sharing(from, List.of(new SharedChain.Link(name, stage))));
    }
    return new Recipe<>(pipeline, gathered, name, in.apply(name, stage.carried(name)), null);
  }

  /** The chain so far, the stages waiting to share a value applied. */
  @SuppressWarnings("unchecked")
  private PCollection<Carried<T>> chain() {
    if (sharing != null) {
      List<SharedChain.Link> links = sharing.links();
      PCollection<?> applied;
      if (links.size() == 1) {
        applied =
            sharing.from().apply(links.get(0).node, links.get(0).stage.carried(links.get(0).node));
      } else {
        SharedChain shared = new SharedChain(links);
        applied = sharing.from().apply(shared.name(), shared);
      }
      chain = (PCollection<Carried<T>>) applied;
      sharing = null;
    }
    return chain != null ? chain : Carried.carry("Carry " + lastStage + " records", records);
  }

  /**
   * The next step when it is a transform with its own outputs for kept records and rejects (a
   * fetch, a dedup over the whole corpus, batched scoring): the chain of stages ends before it and
   * starts again after it.
   */
  public <O> Recipe<O> thenTransform(
      String name, PTransform<PCollection<T>, StepResult<O>> transform) {
    StepResult<O> result = kept().apply(name, transform);
    continued = true;
    gathered.rejects.add(result.rejects());
    if (result.tallies() != null) {
      gathered.tallies.add(result.tallies());
    }
    Recipe<O> next = new Recipe<>(pipeline, gathered, name, null, null);
    next.records = result.kept();
    return next;
  }

  /**
   * A step that only moves, regroups or joins the records (a reshuffle, a join), under {@code
   * name}; the chain of stages ends before it and starts again after it.
   */
  public Recipe<T> through(String name, PTransform<PCollection<T>, PCollection<T>> transform) {
    PCollection<T> moved = kept().apply(name, transform);
    continued = true;
    Recipe<T> next = new Recipe<>(pipeline, gathered, name, null, null);
    next.records = moved;
    return next;
  }

  /**
   * The records kept by every stage so far. Ends the chain here (its rejects and tallies are
   * gathered), so a recipe is continued from here only through what follows this call.
   */
  public PCollection<T> kept() {
    if (records != null) {
      return records;
    }
    if (continued) {
      throw new IllegalStateException(
          "the recipe was continued after " + lastStage + "; take its records before going on");
    }
    Carried.Split<T> split =
        Carried.split("After " + lastStage + " (" + ++gathered.settled + ")", chain());
    gathered.rejects.add(split.result().rejects());
    gathered.tallies.add(split.tallies());
    records = split.result().kept();
    chain = null;
    return records;
  }

  /** Adds tallies made beside the chain (a reader's). */
  public Recipe<T> alsoCounting(PCollection<Tally> tallies) {
    gathered.tallies.add(tallies);
    return this;
  }

  /** Every tally of the stages up to this point and those added, in one collection. */
  public PCollection<Tally> tallies() {
    kept();
    return PCollectionList.of(gathered.tallies)
        .apply("All tallies", Flatten.pCollections())
        .setCoder(Tally.coder());
  }

  /** Every reject up to this point, in one collection. */
  public PCollection<Reject> rejects() {
    kept();
    return PCollectionList.of(gathered.rejects).apply("All rejects", Flatten.pCollections());
  }

  /** The ids of every input read. */
  public PCollection<String> inputIds() {
    return gathered.inputIds;
  }

  /**
   * How kept records become data rows: the rows' schema, the row of each record, and the sub-folder
   * of {@code data/} each row goes to ({@code null}: {@code data/} itself).
   */
  public record Rows<T>(
      Schema schema,
      SerializableFunction<T, GenericRecord> row,
      SerializableFunction<GenericRecord, String> partition) {
    /** Records that are rows of {@code schema} themselves. */
    public static <T> Rows<T> ofRecords(Schema schema) {
      return new Rows<>(schema, r -> (GenericRecord) r, null);
    }

    /** Each record made into a row of {@code schema} by {@code row}. */
    public static <T> Rows<T> of(Schema schema, SerializableFunction<T, GenericRecord> row) {
      return new Rows<>(schema, row, null);
    }

    /**
     * Records of {@code schema} written with their {@code imageFields} (encoded image bytes) as
     * Hugging Face {@code datasets}' Image struct ({@link ImageColumns}).
     */
    public static <T extends GenericRecord> Rows<T> withImages(
        Schema schema, Set<String> imageFields) {
      Schema rowSchema = ImageColumns.rowSchema(schema, imageFields);
      int[] images = ImageColumns.imagePositions(rowSchema);
      return new Rows<>(rowSchema, r -> ImageColumns.row(r, rowSchema, images), null);
    }

    /** Each row into the sub-folder {@code partition} names (e.g. {@code len=256}). */
    public Rows<T> partitionedBy(SerializableFunction<GenericRecord, String> partition) {
      return new Rows<>(schema, row, partition);
    }
  }

  /**
   * Starts writing the corpus in the step that ends the chain: each kept record is written to the
   * data files where the last stage makes it, and only {@code forStats} of it (the record less what
   * no statistic reads: long texts, image bytes) goes on to the statistics, taken from {@link
   * Writing#kept()} and handed to {@link Writing#finish}. On Flink this saves encoding every record
   * once per step that reads it (the writer, the kept ids, each statistic). Instead of {@link
   * #kept()} and {@link #write}: the records are not to be taken from the recipe before.
   */
  public Writing<T> writeKept(
      OutputLayout layout,
      Schema schema,
      SerializableFunction<T, String> sampleId,
      SerializableFunction<T, T> forStats) {
    return writeKept(layout, Rows.ofRecords(schema), forStats).countingKept(sampleId);
  }

  /**
   * As {@link #writeKept(OutputLayout, Schema, SerializableFunction, SerializableFunction)}, for
   * records that are not rows themselves (they become rows as {@code rows} says) and whose kept
   * inputs the caller names in {@link Writing#finish(PCollection, List)}.
   */
  public Writing<T> writeKept(
      OutputLayout layout, Rows<T> rows, SerializableFunction<T, T> forStats) {
    if (continued) {
      throw new IllegalStateException(
          "the recipe was continued after " + lastStage + "; take its records before going on");
    }
    ParquetParts dataParts = CorpusWriter.dataParts(layout, rows.schema());
    if (rows.partition() != null) {
      dataParts = dataParts.partitionedBy(rows.partition());
    }
    Carried.WrittenSplit<T> split =
        Carried.splitWriting(
            "After " + lastStage + " (" + ++gathered.settled + ")",
            chain(),
            dataParts.bundleFiles(),
            rows.row(),
            forStats);
    gathered.rejects.add(split.rejects());
    gathered.tallies.add(split.tallies());
    records = split.forStats();
    chain = null;
    continued = true;
    return new Writing<>(this, layout, rows, split.files(), null);
  }

  /** The sample id of each kept record, for the accounting. */
  private static <T> PCollection<String> keptIds(
      PCollection<T> kept, SerializableFunction<T, String> sampleId) {
    return kept.apply("Kept ids", MapElements.into(TypeDescriptors.strings()).via(sampleId));
  }

  /** A corpus whose kept records are being written; {@link #finish} writes the rest. */
  public static final class Writing<T> {
    private final Recipe<T> recipe;
    private final OutputLayout layout;
    private final Rows<T> rows;
    private final PCollection<KV<String, String>> files;
    private final SerializableFunction<T, String> sampleId;

    private Writing(
        Recipe<T> recipe,
        OutputLayout layout,
        Rows<T> rows,
        PCollection<KV<String, String>> files,
        SerializableFunction<T, String> sampleId) {
      this.recipe = recipe;
      this.layout = layout;
      this.rows = rows;
      this.files = files;
      this.sampleId = sampleId;
    }

    private Writing<T> countingKept(SerializableFunction<T, String> sampleId) {
      return new Writing<>(recipe, layout, rows, files, sampleId);
    }

    /** The kept records as the statistics see them. */
    public PCollection<T> kept() {
      return recipe.records;
    }

    /** Every tally of the recipe's stages. */
    public PCollection<Tally> tallies() {
      return recipe.tallies();
    }

    /**
     * Places the data files, writes every reject, the accounting (each kept record's sample id an
     * input kept) and {@code stats}.
     */
    public void finish(List<PCollection<String>> stats) {
      if (sampleId == null) {
        throw new IllegalStateException("name the kept inputs: finish(keptSourceIds, stats)");
      }
      finish(keptIds(kept(), sampleId), stats);
    }

    /**
     * As {@link #finish(List)}, with the ids of the inputs kept given: for records several of which
     * come from one input (decompose's chunks of a document), each id once.
     */
    public void finish(PCollection<String> keptSourceIds, List<PCollection<String>> stats) {
      CorpusWriter writer =
          CorpusWriter.ofWritten(
              layout,
              rows.schema(),
              files,
              keptSourceIds,
              recipe.rejects(),
              recipe.inputIds(),
              stats);
      recipe.pipeline.apply(
          "Write outputs",
          rows.partition() == null ? writer : writer.partitionedBy(rows.partition()));
    }
  }

  /**
   * Writes the corpus: the kept records as {@code rows} makes them, every reject, the accounting of
   * every input id, and {@code stats}.
   */
  public void write(
      OutputLayout layout,
      Rows<T> rows,
      SerializableFunction<T, String> sampleId,
      List<PCollection<String>> stats) {
    PCollection<GenericRecord> data =
        kept()
            .apply(
                "As rows", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(rows.row()))
            .setCoder(AvroCoder.of(rows.schema()));
    CorpusWriter writer =
        CorpusWriter.of(
            layout, rows.schema(), data, keptIds(kept(), sampleId), rejects(), inputIds(), stats);
    pipeline.apply(
        "Write outputs",
        rows.partition() == null ? writer : writer.partitionedBy(rows.partition()));
  }

  /**
   * Writes the corpus: the kept records, rows of {@code schema} themselves, every reject, the
   * accounting of every input id, and {@code stats}.
   */
  public void write(
      OutputLayout layout,
      Schema schema,
      SerializableFunction<T, String> sampleId,
      List<PCollection<String>> stats) {
    @SuppressWarnings("unchecked")
    PCollection<? extends GenericRecord> kept = (PCollection<? extends GenericRecord>) kept();
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
            layout, schema, kept, keptIds(kept(), sampleId), rejects(), inputIds(), stats));
  }
}
