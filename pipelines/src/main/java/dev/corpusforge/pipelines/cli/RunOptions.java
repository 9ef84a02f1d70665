package dev.corpusforge.pipelines.cli;

import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.pipelines.cluster.FlinkRest;
import dev.corpusforge.pipelines.run.RunCache;
import dev.corpusforge.pipelines.run.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options shared by every {@code forge run PIPELINE}: where and how it runs. */
public final class RunOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML file of option values (keys are long option names without dashes); flags override it.")
  Path config;

  @Option(
      names = "--runner",
      defaultValue = "flink",
      description =
          "flink (embedded unless --flink-master names a cluster) or direct. Default: ${DEFAULT-VALUE}.")
  String runner;

  @Option(
      names = "--flink-master",
      defaultValue = RunSettings.EMBEDDED,
      paramLabel = "HOST:PORT",
      description =
          "Flink JobManager to submit to; [local] runs Flink embedded; [auto] under Flink's own client (flink run). Default: ${DEFAULT-VALUE}.")
  String flinkMaster;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description =
          "Parallel workers; 0: the number of cores on embedded Flink and the Direct runner, the cluster's default on a Flink cluster.")
  int parallelism;

  @Mixin S3Options s3 = new S3Options();

  @Option(
      names = "--overwrite",
      description = "Replace an existing output instead of refusing to write into it.")
  boolean overwrite;

  @Option(
      names = "--progress-seconds",
      defaultValue = "5",
      description = "Seconds between progress lines; 0 for none. Default: ${DEFAULT-VALUE}.")
  int progressSeconds;

  @Option(
      names = "--detached",
      description =
          "With --flink-master: submit, print the job id and return; `forge jobs finish OUTPUT` completes the run (manifest, report, _SUCCESS) once the job has ended.")
  boolean detached;

  @Option(
      names = "--stage-jar",
      paramLabel = "JAR",
      description =
          "The one jar a Flink cluster gets with the job. Default: the bundle (deploy/bundle/target/corpusforge-bundle.jar, built with mvn -Pbundle package -DskipTests) when it is there and not older than the build; else the whole classpath is staged.")
  Path stageJar;

  @Option(
      names = "--license",
      paramLabel = "ID",
      defaultValue = RunSettings.UNKNOWN_LICENSE,
      description =
          "License of the output dataset, as the Hugging Face Hub names licenses (cc-by-4.0, apache-2.0, other, …); written into the dataset card, OUT/README.md. Default: ${DEFAULT-VALUE}.")
  String license;

  @Option(
      names = "--resume",
      description =
          "Continue the run that did not finish in --output (killed, cancelled, failed): the same pipeline, flags and input files, checked against what it recorded in OUTPUT/_run/. What its cache holds (fetched bodies, LLM answers) is reused, not fetched or asked again; the output is what an uninterrupted run writes.")
  boolean resume;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Folder or s3:// URI where fetched bodies are kept by URL for later runs and resumes. Default: OUTPUT.cache next to --output.")
  String cacheDir;

  @Option(
      names = "--cache-max-bytes",
      paramLabel = "N",
      defaultValue = "" + CacheSpec.DEFAULT_MAX_BYTES,
      description =
          "Size the cache is brought under when a run ends, least recently used entries first. Default: ${DEFAULT-VALUE} (20 GiB).")
  long cacheMaxBytes;

  @Option(names = "--no-cache", description = "Keep no cache: every run fetches everything again.")
  boolean noCache;

  @Option(
      names = "--stage-timeout",
      paramLabel = "SECONDS|STAGE=SECONDS,…",
      description =
          "Longest a record may take in one step of a stage (image, text, split, tag, …), e.g. 60, or image=30,*=120: a record that takes longer is rejected <stage>_timeout and its worker goes on. Progress lines name records in a stage for 10 s or more. Default: no limit.")
  String stageTimeout;

  /** Set by forge retry and forge merge: the run they continue. */
  @Option(names = "--cache-scope", hidden = true)
  String cacheScope;

  /** Set by forge retry: the reasons whose cached outcomes it fetches again. */
  @Option(names = "--cache-retried", hidden = true, split = ",")
  List<String> cacheRetried;

  /** Set by forge retry: the inputs it runs over. */
  @Option(names = "--only-ids", hidden = true)
  String onlyIds;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  RunSettings settings() {
    return new RunSettings(
        runner,
        flinkMaster,
        parallelism(),
        s3.endpoint,
        s3.pathStyle,
        s3.region,
        overwrite,
        progressSeconds,
        detached,
        stageJar(),
        license,
        cache(),
        resume,
        onlyIds,
        mixee == null || mixee.commandLine() == null || mixee.commandLine().getParseResult() == null
            ? List.of()
            : mixee.commandLine().getParseResult().originalArgs(),
        stageTimeout);
  }

  private RunCache cache() {
    if (noCache) {
      if (cacheDir != null) {
        throw new IllegalArgumentException("--cache and --no-cache exclude each other");
      }
      return RunCache.NONE;
    }
    return new RunCache(cacheDir, cacheMaxBytes, false, cacheScope, cacheRetried);
  }

  /**
   * On a Flink cluster, 0 means the cluster's default (Beam alone would run the job at parallelism
   * 1).
   */
  private int parallelism() {
    if (parallelism > 0 || !runner.equals("flink") || flinkMaster.startsWith("[")) {
      return parallelism;
    }
    try (FlinkRest rest = new FlinkRest(flinkMaster.replaceFirst("^https?://", ""))) {
      return rest.defaultParallelism();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the Flink cluster at " + flinkMaster + " does not answer: " + e.getMessage());
    }
  }

  private String stageJar() {
    if (stageJar != null) {
      if (!Files.isRegularFile(stageJar)) {
        throw new IllegalArgumentException("--stage-jar " + stageJar + " is not a file");
      }
      return stageJar.toAbsolutePath().toString();
    }
    return StageJar.bundle(Forge.OUT);
  }
}
