package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.decompose.Curriculum;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.StreamOutputFile;
import dev.corpusforge.core.read.BeamInputFile;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.schemas.CurriculumStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forge curriculum OUT}: a Dataset-Decomposition training schedule over a {@code decompose}
 * output — step by step, the bucket and the sample ids of its sequences — written as Parquet, with
 * a summary of its cost against concat-and-chunk at the longest length.
 */
@Command(
    name = "curriculum",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Write a training schedule (step, bucket, sequence ids) over a decompose output: Grow-P2, Grow-P100, uniform or custom odds.")
public final class CurriculumCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "OUT",
      description = "A finished decompose output (local or s3://).")
  String output;

  @Option(
      names = "--tokens-per-step",
      defaultValue = "524288",
      description =
          "Tokens in every step; bucket k contributes tokens/2^k sequences. Default: ${DEFAULT-VALUE}.")
  long tokensPerStep;

  @Option(
      names = "--curriculum",
      defaultValue = "grow-p2",
      description =
          "grow-p2, grow-p100, uniform, or odds:a,b,… (one per bucket, shortest first). Default: ${DEFAULT-VALUE}.")
  String curriculum;

  @Option(names = "--epochs", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the mixer and of the order within buckets. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--schedule-out",
      paramLabel = "URI",
      description =
          "Where to write schedule.parquet and summary.json (default: OUT/schedules/<curriculum>-seed<seed>).")
  String scheduleOut;

  @Mixin S3Options s3 = new S3Options();

  @Mixin OpenLmFlags openLm = new OpenLmFlags();

  @Override
  public Integer call() throws Exception {
    s3.applyToFileSystems();
    String root = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    if (!OutputFiles.exists(root + "/_SUCCESS")) {
      throw new IllegalArgumentException(root + " is not a finished run (no _SUCCESS)");
    }
    JsonNode manifest = RunDriver.readManifest(root);
    if (!"decompose".equals(manifest.path("pipeline").asText())) {
      throw new IllegalArgumentException(
          root + " is a " + manifest.path("pipeline").asText() + " output, not decompose");
    }
    int minLog2 = manifest.path("config").path("rule").path("min_log2").asInt();
    int maxLog2 = manifest.path("config").path("rule").path("max_log2").asInt();
    if (openLm.enabled) {
      String dir =
          scheduleOut != null
              ? scheduleOut
              : root + "/schedules/open_lm-" + curriculum.replaceAll("[^A-Za-z0-9.,-]", "_");
      String flags = openLm.write(root, minLog2, maxLog2, curriculum, epochs, dir);
      Forge.OUT.println(flags);
      Forge.OUT.println("written to: " + dir + "/open_lm.json");
      return 0;
    }
    List<List<String>> ids = new ArrayList<>();
    for (int k = minLog2; k <= maxLog2; k++) {
      ids.add(sequenceIds(root + "/data/len=" + (1 << k)));
    }
    double[] odds = Curriculum.odds(curriculum, ids.size());
    String dir =
        scheduleOut != null
            ? scheduleOut
            : root + "/schedules/" + curriculum.replaceAll("[^A-Za-z0-9.,-]", "_") + "-seed" + seed;
    Curriculum.Summary summary;
    try (ParquetWriter<CurriculumStep> writer =
        AvroParquetWriter.<CurriculumStep>builder(StreamOutputFile.at(dir + "/schedule.parquet"))
            .withSchema(CurriculumStep.getClassSchema())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      summary =
          Curriculum.schedule(
              minLog2,
              ids,
              tokensPerStep,
              odds,
              epochs,
              seed,
              step ->
                  writer.write(
                      CurriculumStep.newBuilder()
                          .setEpoch(step.epoch())
                          .setStep(step.step())
                          .setBucket(step.k())
                          .setSequenceLength(1 << step.k())
                          .setSequenceIds(new ArrayList<>(step.sequenceIds()))
                          .build()));
    }
    ObjectNode s = StatsLines.JSON.createObjectNode();
    s.put("decompose_output", root)
        .put("curriculum", curriculum)
        .put("tokens_per_step", tokensPerStep)
        .put("epochs", epochs)
        .put("seed", seed);
    var o = s.putArray("odds");
    for (double v : odds) {
      o.add(v);
    }
    ObjectNode buckets = s.putObject("sequences_per_bucket");
    for (int i = 0; i < ids.size(); i++) {
      buckets
          .putObject(Integer.toString(1 << (minLog2 + i)))
          .put("sequences", ids.get(i).size())
          .put("per_step", tokensPerStep >> (minLog2 + i))
          .put("unused_per_epoch", summary.unusedSequences()[i]);
    }
    s.put("steps_per_epoch", summary.stepsPerEpoch())
        .put("steps", summary.steps())
        .put("mean_sequence_length", summary.meanSequenceLength())
        .put("attention_cost", summary.attentionCost())
        .put("concat_chunk_cost_at_" + (1 << maxLog2), summary.baselineCost())
        .put("cost_ratio", summary.costRatio());
    OutputFiles.writeString(
        dir + "/summary.json",
        StatsLines.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s)
            + "\n",
        "application/json");
    Forge.OUT.printf(
        Locale.ROOT,
        "%s over %s: %d steps per epoch, %d steps; mean sequence length %.0f; attention cost %.3g vs %.3g for concat-and-chunk at %d (ratio %.3f)%n",
        curriculum,
        root,
        summary.stepsPerEpoch(),
        summary.steps(),
        summary.meanSequenceLength(),
        summary.attentionCost(),
        summary.baselineCost(),
        1 << maxLog2,
        summary.costRatio());
    Forge.OUT.println("schedule: " + dir + "/schedule.parquet");
    Forge.OUT.println("summary:  " + dir + "/summary.json");
    return 0;
  }

  /** The sample ids of one bucket's sequences, sorted (only that column is read). */
  static List<String> sequenceIds(String dir) throws Exception {
    List<String> ids = new ArrayList<>();
    Schema projection =
        SchemaBuilder.record("DecomposedSequence")
            .namespace("dev.corpusforge.schemas")
            .fields()
            .requiredString("sample_id")
            .endRecord();
    for (MatchResult.Metadata file : OutputFiles.match(dir + "/part-*.parquet")) {
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      AvroReadSupport.setRequestedProjection(conf, projection);
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  new BeamInputFile(file.resourceId(), file.sizeBytes()))
              .withConf(conf)
              .build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          ids.add(r.get("sample_id").toString());
        }
      }
    }
    ids.sort(null);
    return ids;
  }
}
