package dev.corpusforge.pipelines.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forge merge OUT OUT2 --output OUT3}: the one output of a run and its retry. It runs OUT's
 * pipeline with OUT's flags over OUT's inputs again, in the cache and scope both share: every
 * fetch, kept or failed, is answered from the cache (the retry's outcome where it retried one), so
 * nothing is fetched, an input kept on retry replaces its reject, each input is counted once, and
 * the whole-input decisions (caption frequency, duplicates, top fractions, exports) are made over
 * the merged set.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description =
        "Write one output of a finished run and its `forge retry`: each input once, kept on retry replacing its reject, the whole-input decisions made again over all.")
public final class MergeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT", description = "The run that was retried.")
  String output;

  @Parameters(index = "1", paramLabel = "OUT2", description = "The retry's output.")
  String retryOutput;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT3",
      description = "Where the merged output goes.")
  String mergedOutput;

  @Option(names = "--overwrite", description = "Replace an existing OUT3.")
  boolean overwrite;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    s3.applyToFileSystems();
    StoredRun run = StoredRun.read(output);
    StoredRun retry = StoredRun.read(retryOutput);
    if (!retry.pipeline().equals(run.pipeline())
        || !retry.cacheRoot().equals(run.cacheRoot())
        || retry.cacheScope() == null
        || !retry.cacheScope().equals(run.cacheScope())) {
      throw new IllegalArgumentException(
          retryOutput
              + " is no retry of "
              + output
              + " (forge retry "
              + output
              + " … writes one: the same pipeline, cache and scope)");
    }
    Forge.OUT.printf("merging %s and its retry %s into %s%n", output, retryOutput, mergedOutput);
    return Forge.execute(
        run.again(mergedOutput, List.of(), overwrite ? List.of("--overwrite") : List.of())
            .toArray(String[]::new));
  }
}
