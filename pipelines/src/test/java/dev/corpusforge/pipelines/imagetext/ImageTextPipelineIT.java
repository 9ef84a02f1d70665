package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * image-text end to end on embedded Flink, the default runner: the real openclipart sample mixed
 * with every hostile file of testdata/hostile, run through the forge command line; outputs read
 * back with readers other than the writers.
 */
class ImageTextPipelineIT {
  @TempDir static Path tmp;

  static Path input;
  static Path output;
  static int exitCode;
  static List<Map<String, Object>> kept;
  static List<Map<String, Object>> rejects;

  /** Small shards, rounded up to a multiple of four ranks: several shards from the sample. */
  static final int SHARD_SIZE = 3;

  static final int RANKS = 4;

  @BeforeAll
  static void run() throws Exception {
    input = tmp.resolve("in");
    OutputReader.copyTree(Path.of("..", "samples", "image-text"), input);
    OutputReader.copyTree(Path.of("..", "testdata", "hostile"), input.resolve("hostile"));
    Files.writeString(
        input.resolve("hostile/orphan-caption.txt"), "a caption whose image is missing\n");
    Files.writeString(input.resolve("hostile/notes.md"), "not an image\n");
    output = tmp.resolve("out");
    exitCode =
        Forge.execute(
            "run",
            "image-text",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--wds-shard-size",
            "" + SHARD_SIZE,
            "--wds-shards-multiple-of",
            "" + RANKS,
            "--license",
            "cc0-1.0",
            "--progress-seconds",
            "0");
    kept = OutputReader.parquetRows(output.resolve("data"));
    rejects = OutputReader.parquetRows(output.resolve("rejects"));
  }

  private static Map<String, String> reasonByFile() throws java.io.IOException {
    return OutputReader.rejectReasonsByName(output.resolve("rejects"));
  }

  @Test
  void exitsZeroWithSuccessMarkerAndBalancedAccounting() throws Exception {
    assertEquals(0, exitCode);
    assertTrue(Files.exists(output.resolve("_SUCCESS")));
    assertFalse(Files.exists(output.resolve("_run")), "the run's working folder is removed");
    long files;
    try (Stream<Path> walk = Files.walk(input)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(
                  f ->
                      !f.toString().endsWith(".txt")
                          || f.getFileName().toString().equals("orphan-caption.txt"))
              .count();
    }
    Set<String> keptIds =
        kept.stream().map(r -> (String) r.get("sample_id")).collect(Collectors.toSet());
    Set<String> rejectIds =
        rejects.stream().map(r -> (String) r.get("sample_id")).collect(Collectors.toSet());
    assertEquals(kept.size(), keptIds.size(), "kept ids unique");
    assertEquals(rejects.size(), rejectIds.size(), "reject ids unique");
    Set<String> both = new HashSet<>(keptIds);
    both.retainAll(rejectIds);
    assertTrue(both.isEmpty(), "kept and rejected overlap: " + both);
    assertEquals(
        files,
        keptIds.size() + rejectIds.size(),
        "every image, orphan caption and stray file is accounted for");
    JsonNode manifest = RunDriver.readManifest(output.toString());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
    assertEquals(files, manifest.path("counts").path("inputs").asLong());
    assertEquals(kept.size(), manifest.path("counts").path("kept").asLong());
    assertEquals(200, manifest.path("config").path("image_rules").path("min_side").asInt());
  }

  @Test
  void eachHostileFileGetsItsSpecificReason() throws Exception {
    Map<String, String> reasons = reasonByFile();
    assertEquals("image/image_empty", reasons.get("zero.jpg"));
    assertEquals("image/image_truncated", reasons.get("truncated.jpg"));
    assertEquals("image/image_unknown_format", reasons.get("html-page.jpg"));
    assertEquals("image/image_too_many_pixels", reasons.get("bomb-header.png"));
    assertEquals("image/image_too_many_pixels", reasons.get("huge-168mp.png"));
    assertEquals("text/caption_invalid_encoding", reasons.get("caption-invalid-utf8.png"));
    assertEquals("text/caption_too_long", reasons.get("caption-100k.png"));
    assertEquals("text/caption_no_letters", reasons.get("caption-emoji.png"));
    assertEquals("read/caption_missing", reasons.get("caption-missing.png"));
    assertEquals("read/image_missing", reasons.get("orphan-caption.txt"));
    assertEquals("read/unsupported_file", reasons.get("notes.md"));
  }

  @Test
  void awkwardButValidImagesDecodeAndAreKept() throws Exception {
    Set<String> keptFiles =
        kept.stream()
            .map(r -> ((String) r.get("source")).replaceAll(".*/", ""))
            .collect(Collectors.toSet());
    for (String f :
        List.of(
            "cmyk.jpg", "rgb16.png", "palette.png", "animated.gif", "bitmap.bmp", "picture.webp")) {
      assertTrue(
          keptFiles.contains(f), f + " should be kept; rejected as " + reasonByFile().get(f));
    }
  }

  @Test
  void keptRowsObeyTheRules() {
    assertFalse(kept.isEmpty());
    for (Map<String, Object> r : kept) {
      int w = (Integer) r.get("original_width");
      int h = (Integer) r.get("original_height");
      assertTrue(Math.min(w, h) >= 200, r.get("source") + " " + w + "x" + h);
      assertTrue(
          (double) Math.max(w, h) / Math.min(w, h) <= 3.0, r.get("source") + " " + w + "x" + h);
      String caption = (String) r.get("caption");
      assertTrue(caption.split("\\s+").length > 2 && caption.length() > 5, caption);
      assertEquals("en", r.get("language"));
      assertEquals("jpeg", r.get("image_format"));
      byte[] image = OutputReader.imageBytes(r);
      assertTrue(
          image.length > 100 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8,
          "JPEG bytes");
    }
  }

  @Test
  void exactDuplicatesAreGone() {
    Set<Object> hashes = new HashSet<>();
    for (Map<String, Object> r : kept) {
      assertTrue(hashes.add(r.get("pixel_hash")), "duplicate pixels kept: " + r.get("source"));
    }
    assertTrue(
        rejects.stream().anyMatch(r -> "dup_image_exact".equals(r.get("reason"))),
        "the sample holds real duplicates across category folders");
  }

  @Test
  void webDatasetExportHoldsExactlyTheKeptImages() throws Exception {
    Map<String, byte[]> members = OutputReader.tarMembers(output.resolve("exports/webdataset"));
    Map<String, byte[]> keptImages = new HashMap<>();
    for (Map<String, Object> r : kept) {
      keptImages.put(r.get("sample_id") + ".jpg", OutputReader.imageBytes(r));
    }
    Set<String> images =
        members.keySet().stream().filter(n -> n.endsWith(".jpg")).collect(Collectors.toSet());
    assertEquals(keptImages.keySet(), images);
    for (Map.Entry<String, byte[]> e : keptImages.entrySet()) {
      assertArrayEquals(e.getValue(), members.get(e.getKey()));
      String key = e.getKey().replace(".jpg", "");
      assertTrue(members.containsKey(key + ".txt") && members.containsKey(key + ".json"));
    }
    assertEquals(3 * kept.size(), members.size());
  }

  @Test
  void webDatasetShardsComeInMultiplesOfTheRanksWithTheirSizesListed() throws Exception {
    Path dir = output.resolve("exports/webdataset");
    List<Path> tars;
    try (Stream<Path> files = Files.list(dir)) {
      tars = files.filter(f -> f.toString().endsWith(".tar")).sorted().toList();
    }
    assertEquals(WebDatasetExport.shards(kept.size(), SHARD_SIZE, RANKS), tars.size());
    assertTrue(tars.size() >= 2 * RANKS && tars.size() % RANKS == 0, tars.size() + " shards");
    JsonNode sizes = new ObjectMapper().readTree(dir.resolve("sizes.json").toFile());
    Set<String> listed = new HashSet<>();
    sizes.fieldNames().forEachRemaining(listed::add);
    assertEquals(
        tars.stream().map(t -> t.getFileName().toString()).collect(Collectors.toSet()), listed);
    long total = 0;
    for (Path tar : tars) {
      long captions =
          OutputReader.membersOf(tar).keySet().stream().filter(n -> n.endsWith(".txt")).count();
      assertEquals(captions, sizes.get(tar.getFileName().toString()).asLong(), tar.toString());
      total += captions;
    }
    assertEquals(kept.size(), total);
  }

  /**
   * What Hugging Face {@code datasets} needs to load the output as it is: the card's configs select
   * exactly the data and the reject files, its features are the files' columns with {@code image}
   * an Image, and each data file declares {@code image} under the {@code huggingface} key over a
   * column of exactly the Image feature's Arrow type (struct of binary bytes and string path), the
   * one case where {@code datasets} takes the declared feature.
   */
  @Test
  void huggingFaceLoadsTheImagesFromTheCardOrTheParquetFilesAlone() throws Exception {
    JsonNode header = OutputReader.cardHeader(output.resolve("README.md"));
    assertEquals("cc0-1.0", header.path("license").asText());
    Map<String, String> paths = new HashMap<>();
    for (JsonNode config : header.path("configs")) {
      JsonNode files = config.path("data_files");
      assertEquals(1, files.size());
      assertEquals("train", files.get(0).path("split").asText());
      paths.put(config.path("config_name").asText(), files.get(0).path("path").asText());
    }
    assertEquals(Set.of("default", "rejects"), paths.keySet());
    assertEquals(
        OutputReader.files(output.resolve("data"), ".parquet"), matching(paths.get("default")));
    assertEquals(
        OutputReader.files(output.resolve("rejects"), ".parquet"), matching(paths.get("rejects")));

    Map<String, JsonNode> info = new HashMap<>();
    header.path("dataset_info").forEach(c -> info.put(c.path("config_name").asText(), c));
    JsonNode data = info.get("default");
    assertEquals(kept.size(), data.path("splits").get(0).path("num_examples").asLong());
    assertEquals(
        rejects.size(), info.get("rejects").path("splits").get(0).path("num_examples").asLong());
    Path part = OutputReader.files(output.resolve("data"), ".parquet").get(0);
    var footer = OutputReader.parquetFooter(part);
    List<String> columns = footer.getSchema().getFields().stream().map(f -> f.getName()).toList();
    List<String> features = new java.util.ArrayList<>();
    data.path("features").forEach(f -> features.add(f.path("name").asText()));
    assertEquals(columns, features);
    data.path("features")
        .forEach(
            f ->
                assertEquals(
                    f.path("name").asText().equals("image"),
                    "image".equals(f.path("dtype").asText()),
                    f.toString()));

    OutputReader.assertImagesDeclared(output.resolve("data"));
    String body = Files.readString(output.resolve("README.md"));
    for (Map<String, Object> r : rejects) {
      assertTrue(body.contains("`" + r.get("reason") + "`"), "the card counts " + r.get("reason"));
    }
  }

  /** The files under the output that a card's {@code data_files} glob names. */
  private static List<Path> matching(String glob) throws java.io.IOException {
    var matcher = output.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> files = Files.walk(output)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> matcher.matches(output.relativize(f)))
          .sorted()
          .toList();
    }
  }

  @Test
  void reportIsSelfContained() throws Exception {
    String html = Files.readString(output.resolve("report.html"));
    assertTrue(html.contains("caption_too_short") || html.contains("language_not_kept"));
    assertTrue(html.contains("data:image/jpeg;base64,"));
    assertFalse(
        html.contains("http://") || html.contains("https://") || html.contains("<script"),
        "no network, no scripts");
  }
}
