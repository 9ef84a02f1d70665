package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.testing.ForgeCall;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every pipeline other than image-text (S3RoundTripIT) reading its inputs from and writing its
 * outputs to s3:// on an S3 server at 127.0.0.1: decompose, graph-summary, region-entity (its model
 * bundle on S3 too) and som. Each output is complete — data, manifest, report, exports, {@code
 * _SUCCESS} — with no working files left, and reads back with the counts of its manifest.
 */
class S3PipelinesIT {
  @RegisterExtension
  static final S3MockExtension S3 =
      S3MockExtension.builder()
          .silent()
          .withSecureConnection(false)
          .withHttpPort(0)
          .withInitialBuckets("corpus")
          .build();

  static final Path SAMPLES = Path.of("..", "samples");
  static S3Client client;

  @TempDir Path tmp;

  @BeforeAll
  static void upload() throws Exception {
    // credentials come from the default AWS chain; system properties are part of it
    System.setProperty("aws.accessKeyId", "test-key");
    System.setProperty("aws.secretAccessKey", "test-secret");
    client = S3.createS3ClientV2();
    for (String dir : List.of("decompose", "graph-summary", "som", "models/clipart-dual-encoder")) {
      try (Stream<Path> files = Files.walk(SAMPLES.resolve(dir))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          put(SAMPLES.relativize(f).toString().replace('\\', '/'), f);
        }
      }
    }
    // region-entity: its knowledge base and the first two rows with their scenes
    put("region-entity/kb.jsonl", SAMPLES.resolve("region-entity/kb.jsonl"));
    List<String> rows =
        Files.readAllLines(SAMPLES.resolve("region-entity/rows.jsonl")).subList(0, 2);
    Path twoRows = Files.createTempFile("rows", ".jsonl");
    Files.write(twoRows, rows, StandardCharsets.UTF_8);
    put("region-entity/rows.jsonl", twoRows);
    for (String row : rows) {
      String image = new ObjectMapper().readTree(row).path("image").asText();
      put("region-entity/" + image, SAMPLES.resolve("region-entity").resolve(image));
    }
  }

  private static void put(String key, Path file) {
    client.putObject(b -> b.bucket("corpus").key(key), RequestBody.fromFile(file));
  }

  private static String[] s3Args(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--s3-endpoint",
            "http://127.0.0.1:" + S3.getHttpPort(),
            "--s3-path-style",
            "--s3-region",
            "us-east-1",
            "--progress-seconds",
            "0"));
    return all.toArray(String[]::new);
  }

  /** The output's objects, downloaded; asserts it is complete and carries no working files. */
  private Path download(String prefix) throws Exception {
    return download(prefix, tmp.resolve(prefix));
  }

  /** As {@link #download(String)}, into {@code local}. */
  private Path download(String prefix, Path local) throws Exception {
    List<String> keys =
        client
            .listObjectsV2Paginator(b -> b.bucket("corpus").prefix(prefix + "/"))
            .contents()
            .stream()
            .map(S3Object::key)
            .sorted()
            .toList();
    assertTrue(
        keys.contains(prefix + "/_SUCCESS")
            && keys.contains(prefix + "/manifest.json")
            && keys.contains(prefix + "/report.html"),
        keys.toString());
    assertFalse(
        keys.stream()
            .anyMatch(
                k ->
                    k.startsWith(prefix + "/_run/")
                        || k.contains("/.temp")
                        || k.contains("temp-beam")),
        "no working files: " + keys);
    for (String key : keys) {
      Path target = local.resolve(key.substring(prefix.length() + 1));
      Files.createDirectories(target.getParent());
      client.getObject(b -> b.bucket("corpus").key(key), target);
    }
    return local;
  }

  /**
   * The manifest, after checking that the accounting holds and the rejects read back; an object
   * store has no empty folders.
   */
  private static JsonNode balancedManifest(Path out) throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertTrue(
        manifest.path("accounting").path("balanced").asBoolean(),
        manifest.path("accounting").toString());
    assertEquals(
        manifest.path("counts").path("rejected").asLong(),
        OutputReader.parquetRows(out.resolve("rejects")).size());
    return manifest;
  }

  /** Rows under data/, its len= folders included. */
  private static long dataRows(Path out) throws Exception {
    if (!Files.isDirectory(out.resolve("data"))) {
      return 0;
    }
    long rows = 0;
    try (Stream<Path> dirs = Files.walk(out.resolve("data"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        rows += OutputReader.parquetRows(dir).size();
      }
    }
    return rows;
  }

  @Test
  void decompose() throws Exception {
    ForgeCall.succeeds(
        s3Args(
            "run",
            "decompose",
            "--input",
            "s3://corpus/decompose/docs",
            "--output",
            "s3://corpus/out-decompose"));
    Path out = download("out-decompose");
    JsonNode manifest = balancedManifest(out);
    assertTrue(manifest.path("counts").path("kept").asLong() > 0);
    long sequences = 0;
    for (JsonNode bucket : manifest.path("buckets")) {
      sequences += bucket.path("sequences").asLong();
    }
    assertTrue(sequences > 0);
    assertEquals(sequences, dataRows(out), "every sequence of the manifest's buckets read back");
    assertTrue(manifest.path("inputs").get(0).asText().startsWith("s3://corpus/"));
    // counted here, not by the pipeline: every uploaded document is an input, kept or rejected once
    long uploaded =
        client
            .listObjectsV2Paginator(b -> b.bucket("corpus").prefix("decompose/docs/"))
            .contents()
            .stream()
            .filter(o -> o.key().endsWith(".txt"))
            .count();
    assertEquals(128, uploaded);
    assertEquals(uploaded, manifest.path("counts").path("inputs").asLong());
    java.util.Set<String> ids = new java.util.HashSet<>();
    try (Stream<Path> dirs = Files.walk(out.resolve("data"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        OutputReader.parquetRows(dir).forEach(r -> ids.add((String) r.get("source_id")));
      }
    }
    OutputReader.parquetRows(out.resolve("rejects"))
        .forEach(r -> ids.add((String) r.get("source")));
    assertEquals(uploaded, ids.size(), "each document in a chunk or a reject: " + ids.size());
    assertTrue(
        ids.stream().allMatch(id -> id.startsWith("s3://corpus/decompose/docs/")), ids.toString());
  }

  @Test
  void graphSummary() throws Exception {
    ForgeCall.succeeds(
        s3Args(
            "run",
            "graph-summary",
            "--nodes",
            "s3://corpus/graph-summary/nodes.jsonl",
            "--edges",
            "s3://corpus/graph-summary/edges.jsonl",
            "--node-label-col",
            "label",
            "--relation",
            "depends on",
            "--prompt",
            "generic",
            "--seeds",
            "sample:20",
            "--no-align",
            "--output",
            "s3://corpus/out-graph"));
    Path out = download("out-graph");
    JsonNode manifest = balancedManifest(out);
    assertEquals(manifest.path("counts").path("kept").asLong(), dataRows(out));
    assertEquals(
        manifest.path("counts").path("kept").asInt(),
        new ObjectMapper().readTree(out.resolve("exports/graphclip/summary.json").toFile()).size());
    // counted here: every uploaded node row is an input; 20 sampled seeds, the other 280 rejected
    // as not seeds
    long nodes =
        Files.readAllLines(SAMPLES.resolve("graph-summary/nodes.jsonl")).stream()
            .filter(l -> !l.isBlank())
            .count();
    assertEquals(300, nodes);
    assertEquals(nodes, manifest.path("counts").path("inputs").asLong());
    List<Map<String, Object>> rejects = OutputReader.parquetRows(out.resolve("rejects"));
    assertEquals(
        nodes - 20, rejects.stream().filter(r -> "not_a_seed".equals(r.get("reason"))).count());
    List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
    java.util.Set<Object> ids = new java.util.HashSet<>();
    kept.forEach(r -> ids.add(r.get("sample_id")));
    rejects.forEach(r -> ids.add(r.get("sample_id")));
    assertEquals(nodes, kept.size() + rejects.size(), "one row per node");
    assertEquals(nodes, ids.size(), "every node once");
  }

  @Test
  void regionEntity() throws Exception {
    String[] args =
        s3Args(
            "run",
            "region-entity",
            "--input",
            "s3://corpus/region-entity/rows.jsonl",
            "--kb",
            "s3://corpus/region-entity/kb.jsonl",
            "--model",
            "s3://corpus/models/clipart-dual-encoder",
            "--output",
            "s3://corpus/out-region",
            "--min-agreement",
            "0",
            "--consensus",
            "union",
            "--min-area",
            "0",
            "--max-area",
            "1");
    ForgeCall.succeeds(args);
    Path out = download("out-region");
    JsonNode manifest = balancedManifest(out);
    assertEquals(2, manifest.path("counts").path("inputs").asInt());
    assertEquals(manifest.path("counts").path("kept").asLong(), dataRows(out));
    assertEquals(
        2,
        manifest.path("annotation").path("attempted").asInt(),
        "both images were read from S3 and annotated");
    assertEquals(
        2,
        manifest.path("counts").path("kept").asInt(),
        "with any agreement accepted, both rows are masks");
    JsonNode coco =
        new ObjectMapper().readTree(out.resolve("exports/coco/annotations.json").toFile());
    assertEquals(2, coco.path("annotations").size());
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      assertTrue(
          ((String) r.get("image")).startsWith("s3://corpus/region-entity/images/"),
          (String) r.get("image"));
      assertTrue((Long) r.get("area") > 0);
    }

    // the run cache sits next to the output in the bucket: the same run again, over its own
    // output, takes both annotators' answers from it and calls neither
    assertEquals(
        4, manifest.path("metrics").path("counters").path("cache/annotations_stored").asLong());
    assertEquals(
        4,
        client
            .listObjectsV2Paginator(b -> b.bucket("corpus").prefix("out-region.cache/annotations/"))
            .contents()
            .stream()
            .count());
    List<String> again = new ArrayList<>(List.of(args));
    again.add("--overwrite");
    ForgeCall.succeeds(again.toArray(String[]::new));
    JsonNode counters =
        balancedManifest(download("out-region", tmp.resolve("again")))
            .path("metrics")
            .path("counters");
    assertEquals(4, counters.path("cache/annotations_hits").asLong(), counters.toString());
    assertEquals(0, counters.path("cache/annotations_misses").asLong(), counters.toString());
  }

  @Test
  void som() throws Exception {
    ForgeCall.succeeds(
        s3Args(
            "run",
            "som",
            "--coco",
            "s3://corpus/som/annotations.json",
            "--output",
            "s3://corpus/out-som"));
    Path out = download("out-som");
    JsonNode manifest = balancedManifest(out);
    assertEquals(
        9,
        manifest.path("counts").path("kept").asInt(),
        "every image found next to the COCO file on S3");
    assertEquals(9, dataRows(out));
    JsonNode llava =
        new ObjectMapper().readTree(out.resolve("exports/llava/som_listing.json").toFile());
    assertEquals(9, llava.size());
    for (JsonNode r : llava) {
      assertTrue(
          Files.isRegularFile(out.resolve("exports/llava").resolve(r.path("image").asText())));
    }
  }
}
