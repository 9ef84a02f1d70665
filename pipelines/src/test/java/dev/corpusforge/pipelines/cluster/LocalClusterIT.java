package dev.corpusforge.pipelines.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.run.DetachedRun;
import dev.corpusforge.pipelines.run.RunProgress;
import dev.corpusforge.pipelines.testing.Await;
import dev.corpusforge.pipelines.testing.AwsCredentialProperties;
import dev.corpusforge.pipelines.testing.ForgeCall;
import dev.corpusforge.pipelines.testing.LocalS3;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local session cluster — a JobManager and four TaskManagers as separate JVMs on 127.0.0.1 —
 * started with {@code forge cluster start}; the README's cluster example, image-text with S3 in and
 * out from the TaskManagers and the shaded bundle staged; a job submitted detached that loses a
 * TaskManager (SIGKILL) in each of its phases, reading, the heavy stage and writing: the job
 * restarts each time, {@code forge jobs finish} completes the run, and its output, read back,
 * equals an undisturbed run's; the JobManager killed under a job; and {@code forge cluster stop}
 * ending every process it started and no other (and, from {@code @AfterAll}, also when a test
 * fails). The kill tests carry the tag {@code fault}: {@code mvn verify -pl pipelines
 * -Dit.test=LocalClusterIT -Dgroups=fault} runs them alone (after {@code mvn install -DskipTests}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The project's root: this module is pipelines. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path tmp;

  /** The som job's vertices by the transform each chain ends with, as Flink names them. */
  private static final String READ = "FlatMap at Read COCO)";

  private static final String TAG = "at Load image/";
  private Path state;
  private String rest;
  private final List<Long> pids = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    state = tmp.resolve("cluster");
    // the Flink classpath (deploy/flink) is found from here
    System.setProperty("corpusforge.home", ROOT.toString());
    assertEquals(
        3, Forge.execute("cluster", "status", "--state", state.toString()), "nothing runs yet");
    assertEquals(
        0,
        Forge.execute(
            "cluster",
            "start",
            "--state",
            state.toString(),
            "--taskmanagers",
            "4",
            "--rest-port",
            "0",
            "--rpc-port",
            "0",
            "--blob-port",
            "0",
            "--restart-delay-seconds",
            "1",
            "--timeout-seconds",
            "240",
            // the TaskManagers' S3 credentials, theirs alone: this JVM's tests also run without
            // any;
            // and, as for the suite's own JVMs, the JIT's first tier only: five JVMs on two cores
            // run short jobs, whose CPU the optimising compiler would mostly add to
            "--jvm-options",
            "-Daws.accessKeyId="
                + LocalS3.KEY
                + " -Daws.secretAccessKey="
                + LocalS3.SECRET
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
    LocalFlinkCluster.Status status = LocalFlinkCluster.status(state);
    rest = status.restAddress();
    for (String name : LocalFlinkCluster.pidNames(state)) {
      pids.add(LocalFlinkCluster.process(state, name).orElseThrow().pid());
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (state != null && Files.isDirectory(state.resolve("log"))) {
      // the cluster's logs outlive the temporary folder, for a failure to be read
      java.nio.file.Path logs = Path.of("target", "cluster-logs");
      OutputReader.copyTree(
          state.resolve("log"),
          Files.createDirectories(logs).resolve(Long.toString(System.currentTimeMillis())));
    }
    if (state == null) {
      return;
    }
    LocalFlinkCluster.stop(
        state, Duration.ofSeconds(20), new PrintStream(OutputStream.nullOutputStream()));
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Order(1)
  void startsAsSeparateProcesses() throws Exception {
    LocalFlinkCluster.Status status = LocalFlinkCluster.status(state);
    assertTrue(status.running());
    assertEquals(5, status.processes().size(), status.processes().toString());
    assertEquals(4, status.overview().path("taskmanagers").asInt());
    assertEquals(8, status.overview().path("slots-total").asInt());
    assertFalse(pids.contains(ProcessHandle.current().pid()));
    for (long pid : pids) {
      // the command line as Linux keeps it (ProcessHandle.Info leaves out long ones)
      List<String> args =
          List.of(
              new String(
                      Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                      StandardCharsets.UTF_8)
                  .split("\0"));
      assertTrue(
          args.contains("-Daws.secretAccessKey=" + LocalS3.SECRET),
          "--jvm-options reach every process: " + args.subList(0, Math.min(12, args.size())));
    }
    assertEquals(0, Forge.execute("cluster", "status", "--state", state.toString()));
    assertEquals(
        2,
        Forge.execute("cluster", "start", "--state", state.toString(), "--rest-port", "0"),
        "a second start on the same state is refused");
  }

  /**
   * The README's cluster example: image-text reads a folder of images and a WebDataset shard from
   * S3 on the TaskManagers — with the credentials their JVMs were started with — scores the pairs
   * with a bundle read from S3 too, and writes its whole output back; the job staged is the shaded
   * bundle this module builds. The output is read from the S3 server's folder, not through the
   * pipeline's file system.
   */
  @Test
  @Order(2)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void imageTextReadsAndWritesS3OnTheTaskManagersWithTheBundleStaged() throws Exception {
    Path s3 = Files.createDirectories(tmp.resolve("s3"));
    Path bucket = Files.createDirectories(s3.resolve("corpus"));
    Path sample = ROOT.resolve("samples/image-text");
    OutputReader.copyTree(sample, bucket.resolve("in"));
    long images;
    try (java.util.stream.Stream<Path> files = Files.walk(sample)) {
      images =
          files
              .filter(f -> f.getFileName().toString().matches(".*\\.(png|jpg|jpeg|webp|gif|bmp)"))
              .count();
    }
    assertTrue(images > 50, "the sample has images: " + images);
    Files.createDirectories(bucket.resolve("shards"));
    writeShard(bucket.resolve("shards/shard-0.tar"));
    OutputReader.copyTree(
        ROOT.resolve("samples/models/clipart-dual-encoder"), bucket.resolve("models/clipart"));

    try (LocalS3 server = LocalS3.start(ROOT, s3);
        AwsCredentialProperties credentials = AwsCredentialProperties.save()) {
      // this JVM's: it checks the inputs and writes the manifest and report
      credentials.set(LocalS3.KEY, LocalS3.SECRET);
      assertEquals(
          0,
          Forge.execute(
              "run",
              "image-text",
              "--input",
              "s3://corpus/in/",
              "--input",
              "s3://corpus/shards/*.tar",
              "--output",
              "s3://corpus/pairs",
              "--flink-master",
              rest,
              "--parallelism",
              "2",
              "--s3-endpoint",
              server.endpoint(),
              "--s3-path-style",
              "--s3-region",
              "us-east-1",
              "--score-model",
              "s3://corpus/models/clipart",
              "--language-low-accuracy",
              "--progress-seconds",
              "5"));
    }

    Path out = bucket.resolve("pairs");
    assertTrue(Files.exists(out.resolve("_SUCCESS")) && Files.exists(out.resolve("report.html")));
    assertFalse(Files.exists(out.resolve("_run")), "the run's working files are removed");
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals("flink " + rest, manifest.path("runner").asText());
    assertEquals(
        ROOT.resolve("pipelines/target/corpusforge-bundle.jar").toString(),
        manifest.path("staged").asText(),
        "the shaded bundle was staged, not the classpath");
    String job = manifest.path("metrics").path("flink_job_id").asText();
    List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
    List<Map<String, Object>> rejects = OutputReader.parquetRows(out.resolve("rejects"));
    try (FlinkRest client = new FlinkRest(rest);
        RunProgress.FlinkSource progress =
            new RunProgress.FlinkSource(rest, client.job(job).path("name").asText())) {
      assertEquals(
          "FINISHED", client.job(job).path("state").asText(), "the job ran on the cluster");
      // the progress counters, as forge run reads them from the cluster's REST API
      assertEquals(
          new ProgressMeter.Counts(kept.size() + rejects.size(), kept.size(), rejects.size(), ""),
          progress.poll());
    }
    assertFalse(kept.isEmpty());
    assertEquals(manifest.path("counts").path("kept").asLong(), kept.size());
    assertEquals(
        images + 3,
        kept.size() + rejects.size(),
        "one record per image (each has a .txt caption) and per shard sample");
    assertTrue(
        kept.stream()
            .allMatch(
                r ->
                    ((String) r.get("source")).startsWith("s3://corpus/in/")
                        || ((String) r.get("source"))
                            .startsWith("s3://corpus/shards/shard-0.tar#")),
        "sources are the S3 objects");
    assertEquals(
        3,
        kept.stream().filter(r -> ((String) r.get("source")).contains("shard-0.tar#")).count(),
        "the shard's three valid pairs are kept");
    assertTrue(
        kept.stream().allMatch(r -> r.get("filip_score") != null && r.get("clip_score") != null),
        "every kept pair is scored by the bundle read from S3");
    assertEquals(
        "clipart-dual-encoder", manifest.path("model_bundles").path(0).path("name").asText());
    assertEquals(
        kept.size(),
        OutputReader.tarMembers(out.resolve("exports/webdataset")).keySet().stream()
            .filter(n -> n.endsWith(".jpg"))
            .count());
  }

  /**
   * A second job using models on the TaskManagers that ran image-text's scorer: native libraries
   * (ONNX Runtime, DJL's tokenizers) and ImageIO's plugins are one per JVM, so they come from the
   * cluster's classpath, not from each job's class loader, or this job fails.
   */
  @Test
  @Order(3)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aSecondModelJobRunsOnTheSameTaskManagers() throws Exception {
    Path samples = ROOT.resolve("samples/region-entity");
    // two rows: what fails is each worker's model setup, not the annotating
    Path rows =
        Files.write(
            tmp.resolve("two-rows.jsonl"),
            Files.readAllLines(samples.resolve("rows.jsonl")).subList(0, 2).stream()
                .map(r -> r.replace("\"image\":\"images/", "\"image\":\"" + samples + "/images/"))
                .toList());
    Path out = tmp.resolve("region-entity");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "region-entity",
            "--input",
            rows.toString(),
            "--kb",
            samples.resolve("kb.jsonl").toString(),
            "--model",
            ROOT.resolve("samples/models/clipart-dual-encoder").toString(),
            "--output",
            out.toString(),
            "--flink-master",
            rest,
            "--parallelism",
            "4",
            "--progress-seconds",
            "0"));
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    try (FlinkRest client = new FlinkRest(rest)) {
      assertEquals(
          "FINISHED",
          client
              .job(manifest.path("metrics").path("flink_job_id").asText())
              .path("state")
              .asText());
    }
    assertEquals(
        2,
        manifest.path("counts").path("kept").asLong()
            + manifest.path("counts").path("rejected").asLong());
  }

  /**
   * A WebDataset shard of three pairs whose images come from testdata/hostile (formats the sample
   * folder does not hold).
   */
  private static void writeShard(Path shard) throws Exception {
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            Files.newOutputStream(shard))) {
      int n = 0;
      for (String name : List.of("bitmap.bmp", "rgb16.png", "picture.webp")) {
        String key = String.format("%06d", n++);
        byte[] image = Files.readAllBytes(ROOT.resolve("testdata/hostile").resolve(name));
        byte[] caption =
            ("a drawing of an animal from the shard, number " + key)
                .getBytes(StandardCharsets.UTF_8);
        for (Object[] member :
            new Object[][] {
              {key + name.substring(name.lastIndexOf('.')), image}, {key + ".txt", caption}
            }) {
          var entry =
              new org.apache.commons.compress.archivers.tar.TarArchiveEntry((String) member[0]);
          entry.setSize(((byte[]) member[1]).length);
          tar.putArchiveEntry(entry);
          tar.write((byte[]) member[1]);
          tar.closeArchiveEntry();
        }
      }
    }
  }

  /**
   * One job loses a TaskManager in each of its phases, each a TaskManager that runs the phase's
   * subtasks: while it reads its input (the COCO file is a named pipe that this test feeds only
   * after the kill, so the reader is certainly waiting on it; Flink's REST API shows which), while
   * it tags the images (REST: the reading vertex finished, the tagging one running, no record
   * written yet), and while it writes (one that holds an output file open). Each loss costs a
   * restart, named in the job's exception history with its TaskManager; the job finishes with the
   * output of an undisturbed run.
   */
  @Test
  @Order(4)
  @Tag("fault")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aTaskManagerLostInAnyPhaseCostsARestartNotTheRun() throws Exception {
    Path coco = manyImages(tmp.resolve("many"), 20);
    Path undisturbed = tmp.resolve("undisturbed");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--coco",
            coco.toString(),
            "--output",
            undisturbed.toString(),
            "--progress-seconds",
            "0"));
    // the same path, now a named pipe: the same sample ids, and a reading phase that lasts until
    // fed
    byte[] content = Files.readAllBytes(coco);
    Files.delete(coco);
    Process mkfifo =
        new ProcessBuilder("mkfifo", coco.toString()).redirectErrorStream(true).start();
    assertTrue(
        mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0,
        new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    Path out = tmp.resolve("killed");
    String id = submitDetached(coco, out);
    List<String> victims = new ArrayList<>();
    int finished;
    try (FlinkRest client = new FlinkRest(rest);
        PipeFeeder feeder = new PipeFeeder(coco, content)) {
      victims.add(killOneOf(client, id, () -> reader(client, id), "reading"));
      feeder.start();
      victims.add(
          killOneOf(
              client,
              id,
              () ->
                  finished(client, id, READ) && !writing(out)
                      ? running(client, id, TAG)
                      : List.of(),
              "tagging"));
      victims.add(killOneOf(client, id, () -> writingNow(out), "writing"));
      assertEquals(
          4,
          Forge.execute("jobs", "finish", out.toString(), "--no-wait"),
          "a running job cannot be finished yet");
      assertFalse(
          Files.exists(out.resolve("_SUCCESS")) || Files.exists(out.resolve("manifest.json")),
          "nothing is complete while the job runs");
      finished = Forge.execute("jobs", "finish", out.toString(), "--poll-seconds", "1");
    }
    try (FlinkRest client = new FlinkRest(rest)) {
      // the job's failures, each where it happened: why it restarted (or, when it did not finish,
      // why not)
      JsonNode history =
          client.get("/jobs/" + id + "/exceptions").path("exceptionHistory").path("entries");
      List<String> failures = new ArrayList<>();
      for (JsonNode e : history) {
        failures.add(
            e.path("taskName").asText()
                + " @ "
                + e.path("taskManagerId").asText()
                + ": "
                + e.path("exceptionName").asText());
      }
      assertEquals(
          0,
          finished,
          "the job restarted on the surviving TaskManagers and finished; failures: " + failures);
      assertEquals("FINISHED", client.job(id).path("state").asText());
      for (String victim : victims) {
        assertTrue(
            history.toString().contains(victim),
            "a failure names the killed " + victim + ": " + failures);
      }
      assertTrue(history.size() >= 3, "a restart after each kill: " + failures);
      assertEquals(
          0,
          Forge.execute("jobs", "status", id, "--state", state.toString()),
          "forge jobs finds the local cluster and the job");
    }
    for (String victim : victims) {
      assertTrue(LocalFlinkCluster.process(state, victim).isEmpty(), victim + " is gone");
    }
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
    assertEquals(id, manifest.path("metrics").path("flink_job_id").asText());
    assertEquals("flink " + rest, manifest.path("runner").asText());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(
        rows(undisturbed), rows(out), "the same sample_ids and values as the undisturbed run");
    assertEquals(
        Files.readString(undisturbed.resolve("exports/llava/som_listing.json")),
        Files.readString(out.resolve("exports/llava/som_listing.json")));
  }

  /** TaskManagers running some subtasks of a phase, as REST answers, or none yet. */
  private interface Busy {
    List<String> taskManagers() throws Exception;
  }

  /**
   * Waits until the running job has a TaskManager busy in {@code phase} (none before), kills it
   * with SIGKILL and returns its name.
   */
  private String killOneOf(FlinkRest client, String id, Busy busy, String phase) throws Exception {
    List<String> found = new ArrayList<>();
    Await.until(
        () -> {
          String jobState = client.job(id).path("state").asText();
          assertFalse(
              jobState.equals("FINISHED") || jobState.equals("FAILED"),
              () ->
                  "the job ended before its "
                      + phase
                      + " phase: "
                      + jobState
                      + " "
                      + rootException(client, id));
          try {
            found.addAll(jobState.equals("RUNNING") ? busy.taskManagers() : List.of());
          } catch (FlinkRest.Unreachable e) {
            // a JobManager slow to answer while the machine is busy: look again
          }
          return !found.isEmpty();
        },
        Duration.ofSeconds(240),
        () -> "the job reaches its " + phase + " phase");
    String victim = found.get(0);
    ProcessHandle process = LocalFlinkCluster.process(state, victim).orElseThrow();
    assertEquals(
        "RUNNING",
        client.job(id).path("state").asText(),
        "still running when the TaskManager dies in its " + phase + " phase");
    process.destroyForcibly(); // SIGKILL
    Await.until(() -> !process.isAlive(), Duration.ofSeconds(30), () -> victim + " ends");
    return victim;
  }

  private static List<String> rootException(FlinkRest client, String id) {
    try {
      return client
          .get("/jobs/" + id + "/exceptions")
          .path("root-exception")
          .asText("")
          .lines()
          .limit(3)
          .toList();
    } catch (Exception e) {
      return List.of(e.toString());
    }
  }

  /** The vertices of the job whose name contains {@code name}. */
  private static List<JsonNode> vertices(FlinkRest client, String id, String name)
      throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode v : client.job(id).path("vertices")) {
      if (v.path("name").asText().contains(name)) {
        found.add(v);
      }
    }
    assertFalse(found.isEmpty(), "the job has a vertex running " + name);
    return found;
  }

  /** Whether every vertex running {@code name} has finished. */
  private static boolean finished(FlinkRest client, String id, String name) throws Exception {
    return vertices(client, id, name).stream()
        .allMatch(v -> v.path("status").asText().equals("FINISHED"));
  }

  /**
   * The subtasks of the vertices that run {@code name}, as {@code /jobs/:id/vertices/:vid} lists
   * them (status, taskmanager-id).
   */
  private static List<JsonNode> subtasks(FlinkRest client, String id, String name)
      throws Exception {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode v : vertices(client, id, name)) {
      client
          .get("/jobs/" + id + "/vertices/" + v.path("id").asText())
          .path("subtasks")
          .forEach(all::add);
    }
    return all;
  }

  /** The TaskManagers running a subtask of a vertex that runs {@code name}. */
  private static List<String> running(FlinkRest client, String id, String name) throws Exception {
    return subtasks(client, id, name).stream()
        .filter(t -> "RUNNING".equals(t.path("status").asText()))
        .map(t -> t.path("taskmanager-id").asText())
        .distinct()
        .toList();
  }

  /**
   * The TaskManager whose reader waits on the named pipe: of the reading vertex's subtasks, the one
   * with the file, once the others (which got no file) have finished; none before.
   */
  private static List<String> reader(FlinkRest client, String id) throws Exception {
    List<JsonNode> readers = subtasks(client, id, READ);
    List<JsonNode> waiting =
        readers.stream().filter(t -> "RUNNING".equals(t.path("status").asText())).toList();
    boolean othersDone =
        readers.stream()
            .allMatch(
                t ->
                    "RUNNING".equals(t.path("status").asText())
                        || "FINISHED".equals(t.path("status").asText()));
    return waiting.size() == 1 && othersDone
        ? List.of(waiting.get(0).path("taskmanager-id").asText())
        : List.of();
  }

  /**
   * Writes the same bytes into a named pipe for each reader that opens it, from a thread of its
   * own, until closed.
   */
  private static final class PipeFeeder implements AutoCloseable {
    private final Path pipe;
    private final byte[] content;
    private final Thread thread;
    private volatile boolean stopping;

    PipeFeeder(Path pipe, byte[] content) {
      this.pipe = pipe;
      this.content = content;
      this.thread = new Thread(this::feed, "pipe feeder");
      thread.setDaemon(true);
    }

    private void feed() {
      while (!stopping && Files.exists(pipe)) {
        // opening for writing waits for a reader
        try (OutputStream o = Files.newOutputStream(pipe, java.nio.file.StandardOpenOption.WRITE)) {
          o.write(content);
        } catch (java.io.IOException e) {
          // the reader went away mid-file (its TaskManager was killed): the next reader gets it all
        }
      }
    }

    void start() {
      thread.start();
    }

    /**
     * Stops feeding: a reader of its own (opened for reading and writing, which never waits) meets
     * the feeder's last open.
     */
    @Override
    public void close() throws Exception {
      stopping = true;
      if (!thread.isAlive()) {
        return;
      }
      try (java.nio.channels.FileChannel drain =
          java.nio.channels.FileChannel.open(
              pipe,
              java.nio.file.StandardOpenOption.READ,
              java.nio.file.StandardOpenOption.WRITE)) {
        Thread drainer =
            new Thread(
                () -> {
                  java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
                  try {
                    while (drain.read(buffer.clear()) >= 0) {
                      // discarded
                    }
                  } catch (java.io.IOException e) {
                    // closed below
                  }
                },
                "pipe drainer");
        drainer.setDaemon(true);
        drainer.start();
        thread.join(30_000);
      }
      assertFalse(thread.isAlive(), "the pipe feeder stopped");
    }
  }

  /**
   * The JobManager killed while a detached job runs: {@code forge jobs finish} reports the job lost
   * (exit 1, one line saying what happened and what to do), leaving {@code _run/} and no {@code
   * _SUCCESS}; {@code forge jobs list} says no cluster answers, without a stack trace.
   */
  @Test
  @Order(5)
  @Tag("fault")
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aJobManagerKilledMidJobIsReportedLostWithoutAStackTrace() throws Exception {
    Path coco = manyImages(tmp.resolve("some"), 10);
    Path out = tmp.resolve("orphaned");
    submitDetached(coco, out);
    assertEquals(4, Forge.execute("jobs", "finish", out.toString(), "--no-wait"), "the job runs");
    LocalFlinkCluster.process(state, "jobmanager").orElseThrow().destroyForcibly(); // SIGKILL
    ForgeCall.Outcome finish =
        ForgeCall.run("jobs", "finish", out.toString(), "--poll-seconds", "1");
    assertEquals(1, finish.exit(), finish.err());
    assertTrue(
        finish.err().contains("no Flink JobManager answers at " + rest)
            && finish.err().contains("is lost with its JobManager")
            && finish.err().contains("forge cluster start"),
        finish.err());
    assertFalse(finish.hasStackTrace(), finish.err());
    assertTrue(Files.exists(out.resolve("_run/submission.json")), "_run/ left for a later run");
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    ForgeCall.Outcome list = ForgeCall.run("jobs", "list", "--state", state.toString());
    assertEquals(1, list.exit(), list.err());
    assertTrue(list.err().startsWith("error: no Flink JobManager answers at " + rest), list.err());
    assertFalse(list.hasStackTrace(), list.err());
  }

  @Test
  @Order(6)
  void stopEndsEveryProcessItStartedAndOnlyThose() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      assertEquals(0, Forge.execute("cluster", "stop", "--state", state.toString()));
      for (long pid : pids) {
        Await.until(
            () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            Duration.ofSeconds(60),
            () -> "process " + pid + " of the cluster ended");
      }
      assertTrue(sleeper.isAlive(), "a process the cluster did not start is left alone");
      assertTrue(ProcessHandle.current().isAlive());
      assertEquals(
          3,
          Forge.execute("cluster", "status", "--state", state.toString()),
          "nothing runs after stop");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  /**
   * som on {@code coco}, submitted detached to the cluster at parallelism 2; returns the Flink job
   * id.
   */
  private String submitDetached(Path coco, Path out) throws Exception {
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--flink-master",
            rest,
            "--parallelism",
            "2",
            "--detached",
            "--coco",
            coco.toString(),
            "--output",
            out.toString(),
            "--progress-seconds",
            "0"),
        "submitted detached");
    return DetachedRun.read(out.toString()).jobId();
  }

  /**
   * The TaskManagers that hold a file of the output open at this moment, as Linux lists their open
   * files ({@code /proc/PID/fd}): those writing it. REST's view of the subtasks can lag by the
   * JobManager's cache interval (seconds), longer than a write phase may last.
   */
  private List<String> writingNow(Path out) throws Exception {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    Path real = out.toRealPath();
    List<String> found = new ArrayList<>();
    for (String name : LocalFlinkCluster.pidNames(state)) {
      java.util.Optional<ProcessHandle> process =
          name.startsWith("taskmanager")
              ? LocalFlinkCluster.process(state, name)
              : java.util.Optional.empty();
      if (process.isEmpty()) {
        continue;
      }
      try (java.nio.file.DirectoryStream<Path> fds =
          Files.newDirectoryStream(Path.of("/proc", Long.toString(process.get().pid()), "fd"))) {
        for (Path fd : fds) {
          if (opens(fd, real)) {
            found.add(name);
            break;
          }
        }
      } catch (java.io.IOException e) {
        // the process ended while listed
      }
    }
    return found;
  }

  private static boolean opens(Path fd, Path dir) {
    try {
      return Files.readSymbolicLink(fd).startsWith(dir);
    } catch (java.io.IOException e) {
      return false; // closed while listed
    }
  }

  /**
   * Whether the job has begun writing its records: a file of the data writer (its temporary folder,
   * or data/).
   */
  private static boolean writing(Path out) {
    try (java.util.stream.Stream<Path> files = Files.walk(out)) {
      return files.anyMatch(
          f ->
              Files.isRegularFile(f)
                  && (f.toString().contains("/_run/data-tmp/")
                      || f.startsWith(out.resolve("data"))));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false; // a temporary file renamed while listed: look again
    }
  }

  /**
   * samples/som's COCO file with every image listed {@code copies} times under new ids: a job long
   * enough to interrupt.
   */
  static Path manyImages(Path dir, int copies) throws Exception {
    Path sample = ROOT.resolve("samples/som");
    JsonNode coco = JSON.readTree(sample.resolve("annotations.json").toFile());
    ObjectNode many = JSON.createObjectNode();
    ArrayNode images = many.putArray("images");
    ArrayNode annotations = many.putArray("annotations");
    many.set("categories", coco.path("categories"));
    for (int c = 0; c < copies; c++) {
      for (JsonNode i : coco.path("images")) {
        images
            .addObject()
            .put("id", c * 1000 + i.path("id").asInt())
            .put("file_name", sample.resolve(i.path("file_name").asText()).toString());
      }
      for (JsonNode a : coco.path("annotations")) {
        ObjectNode copy = a.deepCopy();
        copy.put("image_id", c * 1000 + a.path("image_id").asInt());
        annotations.add(copy);
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("annotations.json");
    JSON.writeValue(file.toFile(), many);
    return file;
  }

  private static Map<String, String> rows(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      Map<String, Object> copy = new TreeMap<>(r);
      copy.put(
          "image",
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(OutputReader.imageBytes(r))));
      rows.put((String) r.get("sample_id"), copy.toString());
    }
    assertEquals(180, rows.size(), "9 images of samples/som, 20 times");
    return rows;
  }
}
