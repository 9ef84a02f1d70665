package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** image-text reading its inputs and its model bundle from, and writing its outputs to, s3:// on an S3 server at 127.0.0.1. */
class S3RoundTripIT {
  @RegisterExtension
  static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false).withHttpPort(0).withInitialBuckets("corpus").build();

  @TempDir Path tmp;

  @Test
  void readsAndWritesS3() throws Exception {
    // credentials come from the default AWS chain; system properties are part of it
    System.setProperty("aws.accessKeyId", "test-key");
    System.setProperty("aws.secretAccessKey", "test-secret");
    S3Client client = S3.createS3ClientV2();
    Path sample = Path.of("..", "samples", "image-text");
    int uploaded = 0;
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = "in/" + sample.relativize(f).toString().replace('\\', '/');
        client.putObject(b -> b.bucket("corpus").key(key), RequestBody.fromFile(f));
        uploaded++;
      }
    }
    assertTrue(uploaded > 100);
    // a WebDataset shard next to the folder: three pairs from a category the folder does not hold
    Path shard = tmp.resolve("shard-0.tar");
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(shard))) {
      int n = 0;
      for (Path png : List.of(Path.of("..", "testdata", "hostile", "bitmap.bmp"), Path.of("..", "testdata", "hostile", "rgb16.png"), Path.of("..", "testdata", "hostile", "picture.webp"))) {
        String name = png.getFileName().toString();
        String key = String.format("%06d", n++);
        byte[] image = Files.readAllBytes(png);
        byte[] caption = ("a drawing of an animal from the shard, number " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Object[] member : new Object[][] {{key + name.substring(name.lastIndexOf('.')), image}, {key + ".txt", caption}}) {
          var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry((String) member[0]);
          entry.setSize(((byte[]) member[1]).length);
          tar.putArchiveEntry(entry);
          tar.write((byte[]) member[1]);
          tar.closeArchiveEntry();
        }
      }
    }
    client.putObject(b -> b.bucket("corpus").key("shards/shard-0.tar"), RequestBody.fromFile(shard));
    Path model = Path.of("..", "samples", "models", "clipart-dual-encoder");
    try (Stream<Path> files = Files.list(model)) {
      for (Path f : files.toList()) {
        client.putObject(b -> b.bucket("corpus").key("models/clipart/" + f.getFileName()), RequestBody.fromFile(f));
      }
    }
    String endpoint = "http://127.0.0.1:" + S3.getHttpPort();
    int code = Forge.execute("run", "image-text", "--input", "s3://corpus/in", "--input", "s3://corpus/shards/*.tar", "--output", "s3://corpus/out",
        "--s3-endpoint", endpoint, "--s3-path-style", "--s3-region", "us-east-1", "--progress-seconds", "0",
        "--score-model", "s3://corpus/models/clipart");
    assertEquals(0, code);

    List<String> keys = client.listObjectsV2Paginator(b -> b.bucket("corpus").prefix("out/")).contents().stream().map(S3Object::key).sorted().toList();
    assertTrue(keys.contains("out/_SUCCESS"), keys.toString());
    assertTrue(keys.contains("out/manifest.json") && keys.contains("out/report.html"), keys.toString());
    assertFalse(keys.stream().anyMatch(k -> k.startsWith("out/_run/")), "the run's working files are removed: " + keys);
    Path local = tmp.resolve("out");
    for (String key : keys) {
      Path target = local.resolve(key.substring("out/".length()));
      Files.createDirectories(target.getParent());
      client.getObject(b -> b.bucket("corpus").key(key), target);
    }
    JsonNode manifest = new ObjectMapper().readTree(local.resolve("manifest.json").toFile());
    List<Map<String, Object>> kept = OutputReader.parquetRows(local.resolve("data"));
    List<Map<String, Object>> rejects = OutputReader.parquetRows(local.resolve("rejects"));
    assertFalse(kept.isEmpty());
    assertEquals(manifest.path("counts").path("kept").asLong(), kept.size());
    assertEquals(uploaded / 2 + 3, kept.size() + rejects.size(), "one record per image (each has a .txt caption) and per shard sample");
    assertTrue(kept.stream().allMatch(r -> ((String) r.get("source")).startsWith("s3://corpus/in/") || ((String) r.get("source")).startsWith("s3://corpus/shards/shard-0.tar#")));
    assertEquals(3, kept.stream().filter(r -> ((String) r.get("source")).contains("shard-0.tar#")).count(), "the shard's three valid pairs are kept");
    assertTrue(kept.stream().allMatch(r -> r.get("filip_score") != null && r.get("clip_score") != null), "every kept pair is scored by the bundle read from S3");
    assertEquals("clipart-dual-encoder", manifest.path("model_bundles").path(0).path("name").asText());
    assertEquals(kept.size(), OutputReader.tarMembers(local.resolve("exports/webdataset")).keySet().stream().filter(n -> n.endsWith(".jpg")).count());
  }
}
