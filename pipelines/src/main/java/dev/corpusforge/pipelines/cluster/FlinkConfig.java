package dev.corpusforge.pipelines.cluster;

/**
 * The {@code flink-conf.yaml} of a local session cluster: every address 127.0.0.1, the sizes that
 * run Beam jobs on this machine type (network buffers fixed at 512 MB: Beam's plans shuffle many
 * times, and 256 MB ran out at four slots), and a 1 GB metaspace, since every Beam job leaves classes behind in a session
 * TaskManager), temporary files inside the state folder, and the restart strategy of jobs that bring none — Beam's
 * batch jobs: by default three restarts, five seconds apart, so a TaskManager lost mid-job costs
 * a restart, not the run.
 */
final class FlinkConfig {
  private FlinkConfig() {}

  static String yaml(ClusterSpec spec, int restPort, int rpcPort, int blobPort) {
    String tmp = spec.tmp().toAbsolutePath().toString();
    return String.join("\n",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.memory.process.size: " + spec.jobManagerMemory(),
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
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
        // the cluster's classpath and are shared by every job, instead of once per job's class loader
        "classloader.parent-first-patterns.additional: com.github.pemistahl.lingua.",
        spec.restartAttempts() == 0 ? "restart-strategy.type: none" : "restart-strategy.type: fixed-delay",
        "restart-strategy.fixed-delay.attempts: " + Math.max(1, spec.restartAttempts()),
        "restart-strategy.fixed-delay.delay: " + spec.restartDelaySeconds() + " s",
        "io.tmp.dirs: " + tmp,
        "web.tmpdir: " + tmp + "/web",
        "blob.storage.directory: " + tmp + "/blob",
        "");
  }
}
