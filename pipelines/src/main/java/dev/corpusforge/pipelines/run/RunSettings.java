package dev.corpusforge.pipelines.run;

import java.util.ArrayList;
import java.util.List;

/**
 * How a pipeline runs, as opposed to what it computes: runner, parallelism, object store access.
 *
 * @param runner {@code flink} (default; embedded unless {@code flinkMaster} names a cluster) or
 *     {@code direct}
 * @param flinkMaster {@code [local]} for embedded Flink, or {@code host:port} of a JobManager
 * @param parallelism workers; ≤ 0 lets the runner choose (the number of cores)
 * @param s3Endpoint endpoint of an S3-compatible server, or null for AWS
 * @param s3PathStyle address buckets by path
 * @param s3Region region name, or null for the default AWS chain's
 * @param overwrite replace an existing output
 * @param progressSeconds seconds between progress lines; ≤ 0 for none
 * @param detached submit to a Flink cluster and return without waiting for the job
 * @param stageJar the one jar to stage on a Flink cluster (the bundle), or null to stage the
 *     classpath
 * @param license the license id the output's dataset card declares ({@code unknown} when none is
 *     given), as the Hugging Face Hub names licenses
 * @param cache where fetched bodies and model outputs are kept for later runs
 * @param resume continue the run that did not finish in the output, with what its cache holds
 * @param onlyIds a file of the input sample ids this run reads ({@code forge retry}), or null for
 *     all
 * @param command the {@code forge} arguments that started the run, kept in the manifest so that
 *     {@code forge retry} and {@code forge merge} can run it again; empty when not known
 * @param stageTimeouts seconds a record may take in a stage ({@code --stage-timeout}), or null
 */
public record RunSettings(
    String runner,
    String flinkMaster,
    int parallelism,
    String s3Endpoint,
    boolean s3PathStyle,
    String s3Region,
    boolean overwrite,
    int progressSeconds,
    boolean detached,
    String stageJar,
    String license,
    RunCache cache,
    boolean resume,
    String onlyIds,
    List<String> command,
    String stageTimeouts) {
  public static final String EMBEDDED = "[local]";

  /** The license a dataset card declares when the run names none. */
  public static final String UNKNOWN_LICENSE = "unknown";

  public static final String AUTO = "[auto]";

  public RunSettings {
    if (!runner.equals("flink") && !runner.equals("direct")) {
      throw new IllegalArgumentException("--runner must be flink or direct, not " + runner);
    }
    if (detached
        && (!runner.equals("flink") || EMBEDDED.equals(flinkMaster) || AUTO.equals(flinkMaster))) {
      throw new IllegalArgumentException(
          "--detached needs a Flink cluster: --runner flink --flink-master HOST:PORT");
    }
    if (license == null) {
      license = UNKNOWN_LICENSE;
    }
    if (cache == null) {
      cache = RunCache.DEFAULT;
    }
    command = command == null ? List.of() : List.copyOf(command);
    dev.corpusforge.core.StageWatch.parse(stageTimeouts);
    if (resume && overwrite) {
      throw new IllegalArgumentException(
          "--resume continues the run in the output and --overwrite replaces it: choose one");
    }
    if (!license.matches("[a-z0-9][a-z0-9.+-]*")) {
      throw new IllegalArgumentException(
          "--license must be a license id as the Hugging Face Hub names them (e.g. cc-by-4.0,"
              + " apache-2.0, other), not "
              + license);
    }
  }

  /** Attached, staging the classpath. */
  public RunSettings(
      String runner,
      String flinkMaster,
      int parallelism,
      String s3Endpoint,
      boolean s3PathStyle,
      String s3Region,
      boolean overwrite,
      int progressSeconds) {
    this(
        runner,
        flinkMaster,
        parallelism,
        s3Endpoint,
        s3PathStyle,
        s3Region,
        overwrite,
        progressSeconds,
        false,
        null,
        UNKNOWN_LICENSE,
        RunCache.DEFAULT,
        false,
        null,
        List.of(),
        null);
  }

  /**
   * A Flink cluster this process submits to by address, as opposed to the Direct runner, embedded
   * Flink, or {@code [auto]} (the environment of Flink's own client, {@code flink run}, which ships
   * the jar itself).
   */
  public boolean cluster() {
    return !embedded() && !AUTO.equals(flinkMaster);
  }

  public static RunSettings direct() {
    return new RunSettings("direct", EMBEDDED, 0, null, false, null, false, 0);
  }

  public boolean embedded() {
    return runner.equals("direct") || EMBEDDED.equals(flinkMaster);
  }

  /**
   * The parallelism asked for, or on embedded Flink (whose own default is 1) the number of cores; 0
   * leaves a cluster's default.
   */
  public int effectiveParallelism() {
    if (parallelism > 0) {
      return parallelism;
    }
    return runner.equals("flink") && embedded() ? Runtime.getRuntime().availableProcessors() : 0;
  }

  /** The Beam command-line arguments these settings stand for. */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    if (runner.equals("direct")) {
      args.add("--runner=DirectRunner");
      // the Direct runner's element checks are for debugging DoFns; they double the cost of a run
      args.add("--enforceImmutability=false");
      args.add("--enforceEncodability=false");
      // run() returns at once, so progress is read from the result while the pipeline runs
      args.add("--blockOnRun=false");
      if (parallelism > 0) {
        args.add("--targetParallelism=" + parallelism);
      }
    } else {
      args.add("--runner=FlinkRunner");
      args.add("--flinkMaster=" + flinkMaster);
      // records are not mutated after output, so Flink need not copy them between operators
      args.add("--fasterCopy=true");
      if (effectiveParallelism() > 0) {
        args.add("--parallelism=" + effectiveParallelism());
      }
      if (cluster() && stageJar != null) {
        args.add("--filesToStage=" + stageJar);
      }
      if (detached) {
        args.add("--attachedMode=false");
      }
    }
    args.add("--s3ClientFactoryClass=" + ForgeS3ClientBuilderFactory.class.getName());
    if (s3Endpoint != null) {
      args.add("--endpoint=" + s3Endpoint);
    }
    if (s3Region != null) {
      args.add("--awsRegion=" + s3Region);
    }
    if (s3PathStyle) {
      args.add("--s3PathStyle=true");
    }
    return args;
  }
}
