package dev.corpusforge.core;

import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
  }

  private final Pipeline pipeline;
  private final Gathered gathered;
  private final PCollection<T> current;

  private Recipe(Pipeline pipeline, Gathered gathered, PCollection<T> current) {
    this.pipeline = pipeline;
    this.gathered = gathered;
    this.current = current;
  }

  /**
   * Starts from the records read and the rejects of the read: every one of them is an input of the
   * run, identified by {@code sampleId} or by its reject row.
   */
  public static <T> Recipe<T> read(
      PCollection<T> records,
      PCollection<Reject> readRejects,
      SerializableFunction<T, String> sampleId) {
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
            .apply("Count reads for progress", ProgressMeter.count(ProgressMeter.READ));
    return new Recipe<>(records.getPipeline(), gathered, records);
  }

  /** Starts from a reader's result. */
  public static <T> Recipe<T> read(StepResult<T> read, SerializableFunction<T, String> sampleId) {
    return read(read.kept(), read.rejects(), sampleId);
  }

  /**
   * The next stage, under {@code name}: its kept records go on, its rejects and tallies are kept.
   */
  public <O> Recipe<O> then(String name, PTransform<PCollection<T>, StepResult<O>> stage) {
    StepResult<O> result = current.apply(name, stage);
    gathered.rejects.add(result.rejects());
    if (stage instanceof Stage<?, ?>) {
      gathered.tallies.add(result.tallies());
    }
    return new Recipe<>(pipeline, gathered, result.kept());
  }

  /** A step that only moves or regroups the records (a reshuffle), under {@code name}. */
  public Recipe<T> through(String name, PTransform<PCollection<T>, PCollection<T>> transform) {
    return new Recipe<>(pipeline, gathered, current.apply(name, transform));
  }

  /** The records kept by every stage so far. */
  public PCollection<T> kept() {
    return current;
  }

  /** Adds rejects made beside the chain (a join's, a side reader's). */
  public Recipe<T> alsoRejecting(PCollection<Reject> rejects) {
    gathered.rejects.add(rejects);
    return this;
  }

  /** Adds tallies made beside the chain (a reader's). */
  public Recipe<T> alsoCounting(PCollection<Tally> tallies) {
    gathered.tallies.add(tallies);
    return this;
  }

  /** Every tally of the stages so far and those added, in one collection. */
  public PCollection<Tally> tallies() {
    return PCollectionList.of(gathered.tallies).apply("All tallies", Flatten.pCollections());
  }

  /** Every reject so far, in one collection. */
  public PCollection<Reject> rejects() {
    return PCollectionList.of(gathered.rejects).apply("All rejects", Flatten.pCollections());
  }

  /** The ids of every input read. */
  public PCollection<String> inputIds() {
    return gathered.inputIds;
  }

  /**
   * Writes the corpus: the kept records in {@code schema}, every reject, the accounting of every
   * input id, and {@code stats}.
   */
  public void write(
      OutputLayout layout,
      Schema schema,
      SerializableFunction<T, String> sampleId,
      List<PCollection<String>> stats) {
    @SuppressWarnings("unchecked")
    PCollection<? extends GenericRecord> records = (PCollection<? extends GenericRecord>) current;
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
            layout,
            schema,
            records,
            current.apply("Kept ids", MapElements.into(TypeDescriptors.strings()).via(sampleId)),
            rejects(),
            inputIds(),
            stats));
  }
}
