package dev.corpusforge.pipelines.cluster;

/**
 * The {@code flink-conf.yaml} of a local session cluster: every address 127.0.0.1, the sizes that
 * run Beam jobs on this machine type (network buffers fixed at 512 MB: Beam's plans shuffle many
 * times, and 256 MB ran out at four slots), and a 1 GB metaspace, since every Beam job leaves
 * classes behind in a session TaskManager), temporary files inside the state folder, and the
 * restart strategy of jobs that bring none — Beam's batch jobs: by default six restarts with an
 * exponential delay from five seconds up to a minute, each burst of failures counted once, so a
 * TaskManager lost at any phase of a job costs a restart, not the run.
 */
final class FlinkConfig {
  private FlinkConfig() {}

  static String yaml(ClusterSpec spec, int restPort, int rpcPort, int blobPort) {
    String tmp = spec.tmp().toAbsolutePath().toString();
    return String.join(
        "\n",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.memory.process.size: " + spec.jobManagerMemory(),
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
        // forge run's progress lines read the running operators' record counts every 2 s
        "metrics.fetcher.update-interval: 2000",
        "blob.server.port: " + blobPort,
        "taskmanager.host: 127.0.0.1",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: " + spec.slots(),
        "taskmanager.memory.process.size: " + spec.taskManagerMemory(),
        "taskmanager.memory.managed.fraction: 0.2",
        "taskmanager.memory.network.min: 512m",
        "taskmanager.memory.network.max: 512m",
        "taskmanager.memory.jvm-metaspace.size: 1024m",
        "parallelism.default: " + spec.slots() * spec.taskManagers(),
        // lingua's language models (static, ~1 GB for all languages) load once per TaskManager from
        // the cluster's classpath and are shared by every job, instead of once per job's class
        // loader; DJL's and ONNX Runtime's native libraries can be loaded by one class loader per
        // JVM only, so they too come from the cluster's classpath (deploy/flink's pom), or a
        // TaskManager's second job using a model or a tokenizer would fail with "already loaded in
        // another classloader"; ImageIO's plugin registry is one per JVM, so the TwelveMonkeys
        // codecs come from there as well, or a job would find the plugins a finished job's closed
        // class loader registered
        "classloader.parent-first-patterns.additional: "
            + "com.github.pemistahl.lingua.;ai.djl.;ai.onnxruntime.;com.twelvemonkeys.",
        // exponential-delay counts every task failure that arrives while a restart is pending as
        // one attempt (FLIP-364, Flink 1.19): a lost TaskManager fails several tasks and
        // redeployments at once, which fixed-delay counted one by one until its budget was spent
        spec.restartAttempts() == 0
            ? "restart-strategy.type: none"
            : "restart-strategy.type: exponential-delay",
        "restart-strategy.exponential-delay.attempts-before-reset-backoff: "
            + Math.max(1, spec.restartAttempts()),
        "restart-strategy.exponential-delay.initial-backoff: "
            + Math.max(1, spec.restartDelaySeconds())
            + " s",
        "restart-strategy.exponential-delay.max-backoff: "
            + Math.max(60, spec.restartDelaySeconds())
            + " s",
        "restart-strategy.exponential-delay.backoff-multiplier: 2.0",
        "restart-strategy.exponential-delay.reset-backoff-threshold: 10 min",
        "restart-strategy.exponential-delay.jitter-factor: 0.1",
        // a TaskManager that died is declared lost after two failed heartbeats 2 s apart
        // (heartbeat.rpc-failure-threshold: 2), or 15 s without one (Flink: 10 s apart, 50 s),
        // before restarts aimed at its slots use up the attempts
        "heartbeat.interval: 2000",
        "heartbeat.timeout: 15000",
        "heartbeat.rpc-failure-threshold: 2",
        "io.tmp.dirs: " + tmp,
        "web.tmpdir: " + tmp + "/web",
        "blob.storage.directory: " + tmp + "/blob",
        "");
  }
}
