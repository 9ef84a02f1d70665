package dev.corpusforge.pipelines.cli;

import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.read.BeamInputFile;
import dev.corpusforge.pipelines.run.OutputFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forge retry OUT --reasons R,… --output OUT2 [-- FLAGS]}: a new run of OUT's pipeline, with
 * OUT's flags (any given after {@code --} replace them), over exactly the inputs OUT rejected with
 * those reasons. It runs in OUT's cache and scope, taking from the cache everything but the
 * outcomes with those reasons, which it computes again; {@code forge merge OUT OUT2} then writes
 * the one output of both.
 */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description =
        "Run again, over the inputs a finished run rejected with the given reasons only (fetch_timeout, fetch_http_429, llm_timeout, …), with its flags; `forge merge` then writes one output of both.")
public final class RetryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT", description = "The finished run, local or s3://.")
  String output;

  @Option(
      names = "--reasons",
      required = true,
      split = ",",
      paramLabel = "REASON",
      description = "Reject reasons whose inputs are run again, comma-separated.")
  List<String> reasons;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT2",
      description = "Where the retry's own output goes.")
  String retryOutput;

  @Option(names = "--overwrite", description = "Replace an existing OUT2.")
  boolean overwrite;

  @Parameters(
      index = "1..*",
      paramLabel = "FLAGS",
      description = "After --: flags of the pipeline that replace OUT's for this run.")
  List<String> overrides = new ArrayList<>();

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    s3.applyToFileSystems();
    StoredRun run = StoredRun.read(output);
    Set<String> ids = rejectedIds(output, Set.copyOf(reasons));
    if (ids.isEmpty()) {
      Forge.OUT.println(
          "no input of " + output + " was rejected with " + reasons + ": nothing to retry");
      return 0;
    }
    String idsFile = run.cacheRoot() + "/retry/" + UUID.randomUUID() + ".ids";
    OutputFiles.writeString(idsFile, String.join("\n", ids) + "\n", "text/plain");
    List<String> extra =
        new ArrayList<>(
            List.of("--only-ids", idsFile, "--cache-retried", String.join(",", reasons)));
    if (overwrite) {
      extra.add("--overwrite");
    }
    Forge.OUT.printf(
        "retrying %d inputs of %s rejected with %s, into %s%n",
        ids.size(), output, String.join(", ", reasons), retryOutput);
    return Forge.execute(run.again(retryOutput, overrides, extra).toArray(String[]::new));
  }

  /** The sample ids of {@code output}'s rejects with one of {@code reasons}. */
  static Set<String> rejectedIds(String output, Set<String> reasons) throws java.io.IOException {
    Set<String> ids = new TreeSet<>();
    for (MatchResult.Metadata file :
        OutputFiles.match(new OutputLayout(output).rejects() + "/part-*.parquet")) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  new BeamInputFile(file.resourceId(), file.sizeBytes()))
              .build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          if (reasons.contains(String.valueOf(r.get("reason")))) {
            ids.add(String.valueOf(r.get("sample_id")));
          }
        }
      }
    }
    return ids;
  }
}
