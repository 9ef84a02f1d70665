package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.cache.CacheEviction;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.read.BeamInputFile;
import dev.corpusforge.core.read.InputSelection;
import dev.corpusforge.pipelines.report.HtmlReport;
import dev.corpusforge.pipelines.report.Thumbnail;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Runs one pipeline from start to finish: checks the inputs and the output location, runs the Beam
 * pipeline with progress on the console, then reads the run's statistics and writes {@code
 * manifest.json} and {@code report.html}. {@code _SUCCESS} is written last, and only when the
 * accounting check holds (every input id is kept or rejected, exactly once).
 */
public final class RunDriver {
  public static final String VERSION = ToolVersion.get();
  private static final long REJECT_PREVIEW_MAX_BYTES = 16L << 20;

  /** Config in the manifest uses snake_case keys, like the records. */
  private static final com.fasterxml.jackson.databind.ObjectMapper CONFIG_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  private RunDriver() {}

  /**
   * A pipeline run to drive.
   *
   * @param config the pipeline's settings, echoed in the manifest
   * @param schemas record name → Avro schema, fingerprinted in the manifest
   * @param build adds the pipeline's transforms (outputs included) to a Beam pipeline
   */
  public record Job(
      String pipeline,
      List<String> inputs,
      String output,
      Object config,
      Map<String, Schema> schemas,
      Consumer<Pipeline> build) {

    /** The same job, running {@code first} once its checks have passed, before it is planned. */
    public Job beforePlanning(Runnable first) {
      return new Job(
          pipeline,
          inputs,
          output,
          config,
          schemas,
          p -> {
            first.run();
            build.accept(p);
          });
    }
  }

  /** How a run ended. */
  public record Result(boolean ok, String message, RunStats stats, OutputLayout layout) {}

  /** A run id: the start time (sortable) and a random suffix; safe as a path segment. */
  public static String newRunId(Instant started) {
    return started.toString().replaceAll("[-:]", "").replace(".", "")
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Builds Beam's registry of pipeline options on a daemon thread and returns at once. The registry
   * reflects over every options interface on the class path, about a second of a run's start; begun
   * before the command line is parsed and the inputs checked, it is ready by the time {@link
   * #options} needs it (a class is initialised once: {@link #options} waits for this thread if it
   * comes first).
   */
  public static void prepareOptionsInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                PipelineOptionsFactory.register(ForgeS3Options.class);
              } catch (RuntimeException e) {
                // options() registers again and reports what is wrong
              }
            },
            "options-warm-up");
    t.setDaemon(true);
    t.start();
  }

  public static PipelineOptions options(RunSettings settings) {
    PipelineOptionsFactory.register(ForgeS3Options.class);
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(settings.beamArgs().toArray(String[]::new))
            .withValidation()
            .create();
    options.setJobName("corpusforge-" + UUID.randomUUID().toString().substring(0, 8));
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /**
   * Checks the inputs (each must exist) and takes the output's lock (which proves it writable),
   * before any work; then runs the job with the lock held.
   */
  public static Result run(Job job, RunSettings settings, PrintStream console) throws IOException {
    RunTimings timings = new RunTimings();
    PipelineOptions options = options(settings);
    OutputLayout layout = new OutputLayout(job.output());
    checkInputs(job.inputs());
    RunFingerprint fingerprint =
        RunFingerprint.of(
            job.pipeline(),
            CONFIG_JSON.valueToTree(job.config()),
            job.inputs(),
            job.config() instanceof ReadsFiles reads ? reads.filesRead() : List.of());
    Instant started = Instant.now();
    String runId = newRunId(started);
    OutputLock lock;
    try {
      lock = OutputLock.acquire(layout, runId);
    } catch (OutputLock.Busy busy) {
      throw busy;
    } catch (IOException | RuntimeException e) {
      throw new RunFailure(
          "output " + job.output() + " cannot be written: " + RunFailure.describe(e), e);
    }
    try (lock) {
      String resumedScope = null;
      if (settings.resume()) {
        resumedScope = fingerprint.checkResumes(layout);
        if (settings.cache().off()) {
          console.println("note: --no-cache: the resumed run redoes every record");
        }
      } else {
        refuseMixing(layout, settings.overwrite());
      }
      CacheSpec cache =
          settings.cache().spec(job.output(), resumedScope != null ? resumedScope : runId);
      String scope = cache != null ? cache.scope() : runId;
      if (cache != null) {
        CacheOptions cacheOptions = options.as(CacheOptions.class);
        cacheOptions.setForgeCache(cache.root());
        cacheOptions.setForgeCacheMaxBytes(cache.maxBytes());
        cacheOptions.setForgeCacheScope(scope);
        cacheOptions.setForgeCacheRetried(cache.retried());
      }
      if (settings.stageTimeouts() != null) {
        options
            .as(dev.corpusforge.core.StageWatch.Options.class)
            .setForgeStageTimeouts(settings.stageTimeouts());
      }
      if (settings.onlyIds() != null) {
        options.as(InputSelection.Options.class).setForgeOnlyIds(settings.onlyIds());
      }
      // the fingerprint first, then the old run's files: a run stopped at any point from here on
      // can be resumed
      fingerprint.write(layout, scope);
      clearOldRun(layout);
      return runLocked(job, settings, console, options, layout, started, runId, timings, cache);
    }
  }

  private static Result runLocked(
      Job job,
      RunSettings settings,
      PrintStream console,
      PipelineOptions options,
      OutputLayout layout,
      Instant started,
      String runId,
      RunTimings timings,
      CacheSpec cache)
      throws IOException {
    console.printf(
        "corpusforge %s: %s → %s (runner %s%s)%n",
        job.pipeline(),
        job.inputs(),
        job.output(),
        settings.runner(),
        settings.runner().equals("flink") ? " " + settings.flinkMaster() : "");
    if (settings.cluster() && settings.stageJar() == null) {
      console.println(
          "staging the whole classpath (hundreds of jars) with the job; build the bundle (mvn package -DskipTests) for a faster submission");
    }
    ObjectNode head = manifestHead(job, settings, runId, started);
    timings.end("start-up");
    Pipeline pipeline = Pipeline.create(options);
    job.build().accept(pipeline);
    timings.end("plan");
    if (settings.detached()) {
      Instant submitting = Instant.now();
      pipeline.run();
      String jobId = DetachedRun.jobIdOf(settings.flinkMaster(), options.getJobName());
      DetachedRun.write(
          layout, new DetachedRun(jobId, settings.flinkMaster(), options.getJobName(), head));
      return new Result(
          true,
          String.format(
              "submitted job %s to %s in %.1f s (detached)",
              jobId,
              settings.flinkMaster(),
              Duration.between(submitting, Instant.now()).toMillis() / 1000.0),
          null,
          layout);
    }
    PipelineResult.State state;
    ObjectNode metrics;
    AtomicReference<ProgressMeter.Source> progress = new AtomicReference<>();
    EmbeddedFlinkConf.Written embeddedConf = embeddedFlinkConf(settings, options);
    String restAddress =
        embeddedConf != null ? embeddedConf.restAddress() : clusterRestAddress(settings);
    RunProgress.FlinkSource flinkProgress =
        restAddress == null ? null : new RunProgress.FlinkSource(restAddress, options.getJobName());
    progress.set(flinkProgress);
    ProgressMeter meter =
        settings.progressSeconds() > 0
            ? ProgressMeter.start(console, settings.progressSeconds() * 1000L, progress::get)
            : null;
    PipelineResult result = null;
    try {
      result = pipeline.run();
      if (flinkProgress == null) {
        // the Direct runner returns at once and counts as it goes
        PipelineResult running = result;
        progress.set(() -> RunProgress.fromResult(running));
      }
      state = result.waitUntilFinish();
      timings.end("job");
      metrics = RunMetrics.toJson(result);
    } catch (RuntimeException e) {
      throw new RunFailure(
          "the pipeline failed: "
              + RunFailure.describe(e)
              + "; "
              + job.output()
              + " is incomplete (no _SUCCESS)",
          e);
    } finally {
      if (meter != null) {
        meter.close();
        console.println(meter.line(finalCounts(result, meter)));
      }
      if (flinkProgress != null) {
        flinkProgress.close();
      }
      if (embeddedConf != null) {
        embeddedConf.close();
      }
    }
    if (state != PipelineResult.State.DONE) {
      return new Result(false, "pipeline ended in state " + state, null, layout);
    }
    if (settings.cluster()) {
      // the job the cluster ran, as a detached run's manifest names it: its web UI page and logs
      try {
        metrics.put(
            "flink_job_id", DetachedRun.jobIdOf(settings.flinkMaster(), options.getJobName()));
      } catch (IOException e) {
        console.println("note: the job id is not in the manifest: " + e.getMessage());
      }
    }
    metrics.set("timings_seconds", timings.toJson());
    if (cache != null) {
      metrics.set("cache", evict(cache, console));
    }
    Result done = complete(layout, head, metrics);
    timings.end("finish");
    console.println(timings.line());
    return done;
  }

  /**
   * Brings the run's cache under its cap; what it holds, for the manifest. A cache that cannot be
   * listed costs a note, not the run.
   */
  private static ObjectNode evict(CacheSpec cache, PrintStream console) {
    ObjectNode out =
        StatsLines.JSON.createObjectNode().put("root", cache.root()).put("scope", cache.scope());
    try {
      CacheEviction.Summary s = CacheEviction.evict(cache);
      out.put("entries", s.entries() - s.evicted())
          .put("bytes", s.bytes() - s.evictedBytes())
          .put("max_bytes", cache.maxBytes())
          .put("evicted", s.evicted());
    } catch (IOException | RuntimeException e) {
      console.println("note: the cache " + cache.root() + " was not trimmed: " + e.getMessage());
    }
    return out;
  }

  /** The counts of a run that has ended, from its result; else the last read while it ran. */
  private static ProgressMeter.Counts finalCounts(PipelineResult result, ProgressMeter meter) {
    if (result != null) {
      try {
        return RunProgress.fromResult(result);
      } catch (RuntimeException e) {
        // a runner that cannot report metrics
      }
    }
    return meter.last();
  }

  /**
   * Points an embedded Flink run at its own configuration ({@link EmbeddedFlinkConf}), which the
   * caller closes when the job has ended; null for any other runner. Its REST address (a port on
   * 127.0.0.1 this run chooses) is set when progress lines are shown.
   */
  static EmbeddedFlinkConf.Written embeddedFlinkConf(RunSettings settings, PipelineOptions options)
      throws IOException {
    if (!settings.runner().equals("flink") || settings.cluster() || !settings.embedded()) {
      return null;
    }
    EmbeddedFlinkConf.Written conf = EmbeddedFlinkConf.write(settings.progressSeconds() > 0);
    options.as(FlinkPipelineOptions.class).setFlinkConfDir(conf.directory().toString());
    return conf;
  }

  /**
   * The REST address progress is read from on a Flink cluster: its own; null without progress
   * lines, on the Direct runner, on embedded Flink (see {@link #embeddedFlinkConf}) or under {@code
   * [auto]}.
   */
  static String clusterRestAddress(RunSettings settings) {
    boolean flinkCluster = settings.runner().equals("flink") && settings.cluster();
    return flinkCluster && settings.progressSeconds() > 0 ? settings.flinkMaster() : null;
  }

  /**
   * Completes a run whose pipeline finished: reads its statistics, writes {@code manifest.json} and
   * {@code report.html}, removes the working folder, and writes {@code _SUCCESS} when the
   * accounting holds. Used right after an attached run, and by {@code forge jobs finish} for a
   * detached one.
   */
  public static Result complete(OutputLayout layout, ObjectNode head, ObjectNode metrics)
      throws IOException {
    RunStats stats = RunStats.parse(OutputFiles.readString(layout.statsFile()).lines().toList());
    Instant finished = Instant.now();
    fillRejectThumbnails(stats);
    ShardSizes.write(stats);
    DdManifests.write(stats);

    ObjectNode manifest = manifest(head, finished, stats);
    manifest.set("metrics", metrics);
    OutputFiles.writeString(
        layout.manifest(),
        StatsLines.JSON
                .copy()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(manifest)
            + "\n",
        "application/json");
    OutputFiles.writeString(
        layout.report(),
        HtmlReport.render(head.path("pipeline").asText(), manifest, stats),
        "text/html");
    OutputFiles.writeString(
        layout.card(),
        DatasetCard.render(manifest, head.path(CARD_FEATURES), dataFiles(layout)),
        "text/markdown");
    OutputFiles.deleteUnder(layout.runDir());
    if (!stats.balanced()) {
      return new Result(false, accountingMessage(stats), stats, layout);
    }
    OutputFiles.writeString(layout.success(), "", "text/plain");
    return new Result(
        true,
        String.format(
            "kept %d of %d inputs, rejected %d; accounting balanced",
            stats.kept, stats.inputs, stats.rejected),
        stats,
        layout);
  }

  /** The head's features of each schema in the dataset card's words; not in the manifest. */
  private static final String CARD_FEATURES = "card_features";

  /**
   * The data files as the card describes them: whether they sit in sub-folders of {@code data/}
   * ({@code len=256/}), and their rows, from the files' footers (a kept input may make several
   * rows, or a row of several inputs).
   */
  private static DatasetCard.DataFiles dataFiles(OutputLayout layout) throws IOException {
    String dataDir = FileSystems.matchNewResource(layout.data(), true).toString();
    boolean partitioned = false;
    long rows = 0;
    for (MatchResult.Metadata m : OutputFiles.listUnder(layout.data())) {
      String name = m.resourceId().toString();
      if (!name.endsWith(".parquet")) {
        continue;
      }
      partitioned |= !m.resourceId().getCurrentDirectory().toString().equals(dataDir);
      try (ParquetFileReader footer =
          ParquetFileReader.open(new BeamInputFile(m.resourceId(), m.sizeBytes()))) {
        rows += footer.getRecordCount();
      }
    }
    return new DatasetCard.DataFiles(partitioned, rows);
  }

  static String accountingMessage(RunStats stats) {
    StringBuilder sb =
        new StringBuilder("accounting check failed: inputs ")
            .append(stats.inputs)
            .append(" ≠ kept ")
            .append(stats.kept)
            .append(" + rejected ")
            .append(stats.rejected);
    for (Map.Entry<String, Long> v : stats.violations.entrySet()) {
      sb.append("\n  ")
          .append(v.getKey())
          .append(": ")
          .append(v.getValue())
          .append(" ids, e.g. ")
          .append(stats.violationExamples.getOrDefault(v.getKey(), List.of()));
    }
    return sb.toString();
  }

  /**
   * Fails fast, before any work, on an input that matches nothing or cannot be read: a local path
   * that does not exist is named without walking any folder; a storage service that refuses the
   * listing (credentials, permissions) is named with its answer.
   */
  static void checkInputs(List<String> inputs) {
    for (String input : inputs) {
      String problem;
      try {
        problem = InputCheck.problem(input);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "input " + input + " cannot be read: " + RunFailure.describe(e), e);
      }
      if (problem != null) {
        throw new IllegalArgumentException("input " + input + " " + problem);
      }
    }
  }

  /** Refuses to mix two runs in one output unless asked to overwrite. */
  static void refuseMixing(OutputLayout layout, boolean overwrite) throws IOException {
    List<MatchResult.Metadata> existing = new java.util.ArrayList<>();
    for (MatchResult.Metadata m : OutputFiles.listUnder(layout.root())) {
      if (!OutputLock.isLockFile(m.resourceId().getFilename())) {
        existing.add(m);
      }
    }
    if (!existing.isEmpty() && !overwrite) {
      boolean complete =
          existing.stream().anyMatch(m -> "_SUCCESS".equals(m.resourceId().getFilename()));
      throw new IllegalArgumentException(
          "output "
              + layout.root()
              + " already holds "
              + existing.size()
              + " files"
              + (complete
                  ? " of a finished run; choose another --output or pass --overwrite to replace them"
                  : " of a run that did not finish (no _SUCCESS); pass --resume to continue it"
                      + " with the same flags, or --overwrite to start again"));
    }
  }

  /** Removes an earlier run's files, all but the new run's fingerprint and the lock. */
  static void clearOldRun(OutputLayout layout) throws IOException {
    for (String dir : List.of(layout.data(), layout.rejects(), layout.root() + "/exports")) {
      OutputFiles.deleteUnder(dir);
    }
    List<ResourceId> working = new java.util.ArrayList<>();
    for (MatchResult.Metadata m : OutputFiles.listUnder(layout.runDir())) {
      if (!RunFingerprint.FILE.equals(m.resourceId().getFilename())) {
        working.add(m.resourceId());
      }
    }
    FileSystems.delete(working, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    for (String file :
        List.of(layout.success(), layout.manifest(), layout.report(), layout.card())) {
      OutputFiles.delete(file);
    }
  }

  /**
   * What the manifest says before the run: the pipeline, its settings, inputs, output, config,
   * schemas, models.
   */
  static ObjectNode manifestHead(Job job, RunSettings settings, String runId, Instant started) {
    ObjectNode m = StatsLines.JSON.createObjectNode();
    m.put("pipeline", job.pipeline())
        .put("run_id", runId)
        .put("tool_version", VERSION)
        .put("started_at", started.toString())
        .put(
            "runner",
            settings.runner().equals("flink") ? "flink " + settings.flinkMaster() : "direct")
        .put("parallelism", settings.effectiveParallelism());
    if (settings.cluster()) {
      // what the cluster got with the job: the bundle's path, or the whole classpath
      m.put("staged", settings.stageJar() != null ? settings.stageJar() : "classpath");
    }
    m.putArray("inputs")
        .addAll(job.inputs().stream().map(StatsLines.JSON.getNodeFactory()::textNode).toList());
    if (!settings.command().isEmpty()) {
      m.putArray("command")
          .addAll(
              settings.command().stream().map(StatsLines.JSON.getNodeFactory()::textNode).toList());
    }
    m.put("output", job.output());
    m.set("config", CONFIG_JSON.valueToTree(job.config()));
    ObjectNode schemas = m.putObject("schemas");
    job.schemas()
        .forEach(
            (name, schema) ->
                schemas
                    .putObject(name)
                    .put("name", schema.getFullName())
                    .put(
                        "fingerprint",
                        String.format("%016x", SchemaNormalization.parsingFingerprint64(schema))));
    m.put("license", settings.license());
    ObjectNode card = m.putObject(CARD_FEATURES);
    job.schemas().forEach((name, schema) -> card.set(name, DatasetCard.features(schema)));
    m.set(
        "model_bundles",
        job.config() instanceof UsesModels models
            ? ModelBundleRecords.describe(models.modelBundles())
            : StatsLines.JSON.createArrayNode());
    return m;
  }

  /**
   * The whole manifest: the head, the end time, the counts, the accounting, exports and histograms.
   */
  static ObjectNode manifest(ObjectNode head, Instant finished, RunStats stats) {
    Instant started = Instant.parse(head.path("started_at").asText());
    ObjectNode m = StatsLines.JSON.createObjectNode();
    for (String key : List.of("pipeline", "run_id", "tool_version", "started_at")) {
      m.set(key, head.get(key));
    }
    m.put("finished_at", finished.toString())
        .put("duration_seconds", Duration.between(started, finished).toMillis() / 1000.0);
    head.fields()
        .forEachRemaining(
            e -> {
              if (!m.has(e.getKey())
                  && !e.getKey().equals("schemas")
                  && !e.getKey().equals(CARD_FEATURES)
                  && !e.getKey().equals("model_bundles")) {
                m.set(e.getKey(), e.getValue());
              }
            });
    ObjectNode counts = m.putObject("counts");
    counts.put("inputs", stats.inputs).put("kept", stats.kept).put("rejected", stats.rejected);
    ObjectNode byStage = counts.putObject("rejected_by_stage");
    stats.rejectCounts.forEach(
        (stage, reasons) -> {
          ObjectNode s = byStage.putObject(stage);
          reasons.forEach(s::put);
        });
    ObjectNode accounting = m.putObject("accounting");
    accounting.put("balanced", stats.balanced());
    stats.violations.forEach(
        (kind, n) -> {
          ObjectNode v = accounting.putObject(kind);
          v.put("count", n);
          v.putArray("examples")
              .addAll(
                  stats.violationExamples.getOrDefault(kind, List.of()).stream()
                      .map(StatsLines.JSON.getNodeFactory()::textNode)
                      .toList());
        });
    m.set("schemas", head.get("schemas"));
    m.set("model_bundles", head.get("model_bundles"));
    ObjectNode exports = m.putObject("exports");
    stats.exports.forEach(
        (format, files) -> {
          ObjectNode e = exports.putObject(format);
          e.put("files", files.size())
              .put("samples", files.stream().mapToLong(f -> f.path("samples").asLong()).sum());
          // other counts an export's files give (regions, nodes, …), summed over its files
          java.util.TreeMap<String, Long> fileCounts = new java.util.TreeMap<>();
          files.forEach(
              f ->
                  f.fields()
                      .forEachRemaining(
                          c -> {
                            if (c.getValue().isIntegralNumber() && !c.getKey().equals("samples")) {
                              fileCounts.merge(c.getKey(), c.getValue().asLong(), Long::sum);
                            }
                          }));
          fileCounts.forEach(e::put);
          var list = e.putArray("paths");
          files.forEach(f -> list.add(f.path("file").asText()));
        });
    stats.manifestEntries.forEach(m::set);
    ObjectNode histograms = m.putObject("histograms");
    stats.histograms.forEach(
        (name, h) -> {
          ObjectNode o = histograms.putObject(name);
          o.set("edges", h.get("edges"));
          o.set("counts", h.get("counts"));
        });
    return m;
  }

  /**
   * Thumbnails for rejected samples whose source is a plain file we can read again (not URLs, tar
   * members or rows).
   */
  static void fillRejectThumbnails(RunStats stats) {
    for (ObjectNode preview : stats.rejectPreviews) {
      String source = preview.path("source").asText();
      boolean plainFile =
          !source.contains("#")
              && (!source.contains("://")
                  || source.startsWith("s3://")
                  || source.startsWith("file://"));
      if (!plainFile) {
        continue;
      }
      try {
        List<MatchResult.Metadata> match = OutputFiles.match(source);
        if (match.size() != 1 || match.get(0).sizeBytes() > REJECT_PREVIEW_MAX_BYTES) {
          continue;
        }
        byte[] bytes = OutputFiles.readBytes(match.get(0).resourceId(), REJECT_PREVIEW_MAX_BYTES);
        if (bytes != null) {
          String thumb = Thumbnail.base64Jpeg(bytes);
          if (thumb != null) {
            preview.put("thumbnail", thumb);
          }
        }
      } catch (IOException | RuntimeException e) {
        // no preview for this one; the report says so
      }
    }
  }

  /** The manifest of a finished run. */
  public static JsonNode readManifest(String output) throws IOException {
    return StatsLines.JSON.readTree(OutputFiles.readString(new OutputLayout(output).manifest()));
  }
}
