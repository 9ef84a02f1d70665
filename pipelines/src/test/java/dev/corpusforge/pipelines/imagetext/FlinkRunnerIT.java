package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample on embedded Flink (the default runner) and on the Direct runner with another
 * parallelism and another scoring batch size, scored by the project's clip-art dual encoder and
 * filtered to the top half by FILIP score: both must keep and reject the same records with the same
 * values, scores included.
 */
class FlinkRunnerIT {
  @TempDir Path tmp;

  /** sample_id → the values that must not depend on the runner. */
  private static Map<String, String> fingerprint(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      rows.put(
          (String) r.get("sample_id"),
          "kept|"
              + r.get("caption")
              + "|"
              + r.get("pixel_hash")
              + "|"
              + r.get("phash")
              + "|"
              + r.get("language_score")
              + "|"
              + r.get("clip_score")
              + "|"
              + r.get("filip_score")
              + "|"
              + java.util.Arrays.hashCode(OutputReader.imageBytes(r)));
    }
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("rejects"))) {
      rows.put(
          (String) r.get("sample_id"),
          "rejected|" + r.get("stage") + "|" + r.get("reason") + "|" + r.get("detail"));
    }
    return rows;
  }

  /**
   * The embeddings of the two runs are the same floats, though their batches differ (3 here, 32
   * there, and on Flink composed as the records arrive): no encoder pass runs a single row, whose
   * kernels round differently (TextEncoder.passRows).
   */
  private static void sameEmbeddings(Path a, Path b) throws Exception {
    Map<String, Map<String, Object>> other = new TreeMap<>();
    OutputReader.parquetRows(b.resolve("data"))
        .forEach(r -> other.put((String) r.get("sample_id"), r));
    for (Map<String, Object> r : OutputReader.parquetRows(a.resolve("data"))) {
      Map<String, Object> o = other.get((String) r.get("sample_id"));
      for (String column : List.of("image_embedding", "text_embedding")) {
        List<?> x = (List<?>) r.get(column);
        List<?> y = (List<?>) o.get(column);
        assertEquals(y.size(), x.size());
        for (int i = 0; i < x.size(); i++) {
          assertEquals(
              ((Number) y.get(i)).floatValue(),
              ((Number) x.get(i)).floatValue(),
              column + " of " + r.get("sample_id") + " at " + i);
        }
      }
    }
  }

  @Test
  void embeddedFlinkMatchesTheDirectRunner() throws Exception {
    Path input = Path.of("..", "samples", "image-text").toAbsolutePath().normalize();
    Path flinkOut = tmp.resolve("flink");
    Path directOut = tmp.resolve("direct");
    String model =
        Path.of("..", "samples", "models", "clipart-dual-encoder")
            .toAbsolutePath()
            .normalize()
            .toString();
    assertEquals(
        0,
        Forge.execute(
            "run",
            "image-text",
            "--input",
            input.toString(),
            "--output",
            flinkOut.toString(),
            "--parallelism",
            "2",
            "--progress-seconds",
            "5",
            "--score-model",
            model,
            "--score",
            "filip",
            "--keep-top-fraction",
            "0.5",
            "--embeddings",
            "--embeddings-part-size",
            "4",
            "--semdedup-eps",
            "0.1",
            "--semdedup-clusters",
            "2",
            "--score-batch-size",
            "3"));
    assertEquals(
        0,
        Forge.execute(
            "run",
            "image-text",
            "--runner",
            "direct",
            "--parallelism",
            "1",
            "--input",
            input.toString(),
            "--output",
            directOut.toString(),
            "--progress-seconds",
            "0",
            "--score-model",
            model,
            "--score",
            "filip",
            "--keep-top-fraction",
            "0.5",
            "--embeddings",
            "--semdedup-eps",
            "0.1",
            "--semdedup-clusters",
            "2",
            "--score-batch-size",
            "32"));
    assertTrue(Files.exists(flinkOut.resolve("_SUCCESS")));
    Map<String, String> flink = fingerprint(flinkOut);
    assertFalse(flink.isEmpty());
    assertEquals(fingerprint(directOut), flink);
    sameEmbeddings(flinkOut, directOut);
    assertTrue(
        Files.readString(flinkOut.resolve("manifest.json"))
            .contains("\"runner\" : \"flink [local]\""));
    checkAlignment(flinkOut);
    checkEmbeddings(flinkOut);
    checkSemanticDedup(flinkOut);
    List<String> shards =
        OutputReader.tarMembers(flinkOut.resolve("exports/webdataset")).keySet().stream()
            .filter(n -> n.endsWith(".jpg"))
            .toList();
    assertEquals(flink.values().stream().filter(v -> v.startsWith("kept")).count(), shards.size());
  }

  /**
   * Every kept row carries unit-length embeddings, and the clip-retrieval export holds exactly
   * them: numpy reads each part's two matrices, whose row i is (bit for bit) the embedding of the
   * pair in row i of the part's metadata file, read with Parquet's example reader.
   */
  private static void checkEmbeddings(Path out) throws Exception {
    Map<String, String> keptBits = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      double norm = 0;
      for (String side : List.of("image_embedding", "text_embedding")) {
        @SuppressWarnings("unchecked")
        List<Object> v = (List<Object>) r.get(side);
        norm = 0;
        for (Object x : v) {
          norm += ((Float) x) * ((Float) x);
        }
        assertEquals(1.0, norm, 1e-5, side + " of " + r.get("sample_id"));
      }
      keptBits.put(
          (String) r.get("sample_id"),
          bits(r.get("image_embedding")) + " " + bits(r.get("text_embedding")));
    }
    if (!OutputReader.numpy()) {
      return;
    }
    Path dir = out.resolve("exports/embeddings");
    Map<String, String> exported = new TreeMap<>();
    int parts = 0;
    for (Path meta : OutputReader.files(dir.resolve("metadata"), ".parquet")) {
      String n = meta.getFileName().toString().replaceAll("\\D", "");
      List<Map<String, Object>> rows = OutputReader.parquetFile(meta);
      List<String> image = npyRows(dir.resolve("img_emb/img_emb_" + n + ".npy"));
      List<String> text = npyRows(dir.resolve("text_emb/text_emb_" + n + ".npy"));
      assertEquals(rows.size(), image.size(), meta.toString());
      assertEquals(rows.size(), text.size(), meta.toString());
      for (int i = 0; i < rows.size(); i++) {
        exported.put((String) rows.get(i).get("sample_id"), image.get(i) + " " + text.get(i));
      }
      parts++;
    }
    // the parts the export's rule fills: ⌈kept / 4⌉ of them, each pair in the one its id's hash
    // names (sample ids hash the input's path, so which parts are filled varies with the checkout)
    int count = WebDatasetExport.shards(keptBits.size(), 4, 1);
    long filled =
        keptBits.keySet().stream()
            .mapToInt(id -> Math.floorMod(id.hashCode(), count))
            .distinct()
            .count();
    assertTrue(count >= 2, count + " parts of at most ~4 pairs");
    assertEquals(filled, parts, "one file per part a pair falls in");
    assertEquals(keptBits, exported);
  }

  private static String bits(Object list) {
    StringBuilder sb = new StringBuilder();
    for (Object x : (List<?>) list) {
      sb.append(String.format("%08x", Float.floatToRawIntBits((Float) x)));
    }
    return sb.toString();
  }

  /** Each row of a float32 .npy matrix as the hex of its values' bits, read by numpy. */
  private static List<String> npyRows(Path npy) throws Exception {
    Process numpy =
        new ProcessBuilder(
                "python3",
                "-c",
                "import numpy, sys; a = numpy.load(sys.argv[1]); assert a.dtype == numpy.float32;"
                    + " [print(''.join('%08x' % int(b) for b in r.view('<u4'))) for r in a]",
                npy.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new String(numpy.getInputStream().readAllBytes()).lines().toList();
    assertEquals(0, numpy.waitFor(), lines.toString());
    return lines;
  }

  /**
   * Semantic dedup on Flink: every {@code dup_semantic} reject names a kept survivor more similar
   * than {@code 1 − eps}, and the manifest counts the rows it compared (those the alignment filter
   * passed) and the duplicates it found as the rows and rejects do.
   */
  private static void checkSemanticDedup(Path out) throws Exception {
    List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
    java.util.Set<String> keptIds =
        kept.stream()
            .map(r -> (String) r.get("sample_id"))
            .collect(java.util.stream.Collectors.toSet());
    List<Map<String, Object>> semantic =
        OutputReader.parquetRows(out.resolve("rejects")).stream()
            .filter(r -> "dup_semantic".equals(r.get("reason")))
            .toList();
    assertFalse(semantic.isEmpty(), "the sample has near-same drawings at eps 0.1");
    for (Map<String, Object> r : semantic) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("cosine similarity ([0-9.]+) to (\\S+)")
              .matcher((String) r.get("detail"));
      assertTrue(m.matches(), (String) r.get("detail"));
      assertTrue(Double.parseDouble(m.group(1)) > 0.9, (String) r.get("detail"));
      assertTrue(keptIds.contains(m.group(2)), "the survivor is kept: " + r.get("detail"));
      assertEquals("dedup", r.get("stage"));
    }
    com.fasterxml.jackson.databind.JsonNode section =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(out.resolve("manifest.json").toFile())
            .path("semantic_dedup");
    assertEquals(semantic.size(), section.path("duplicates").asLong());
    assertEquals(kept.size() + semantic.size(), section.path("rows").asLong());
    assertEquals(2, section.path("clusters_fitted").asLong());
    assertTrue(
        Files.readString(out.resolve("report.html")).contains("Semantic duplicates"),
        "the report shows the section");
  }

  /**
   * Exactly the top half is kept: the threshold is recomputed from every scored pair's score (kept
   * rows' {@code filip_score}, dropped rows' score from their detail) as DataComp defines it, the
   * score at rank ⌊0.5·N⌋ in descending order, and the kept ids are exactly those scoring ≥ it.
   */
  private static void checkAlignment(Path out) throws Exception {
    List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
    List<Map<String, Object>> dropped =
        OutputReader.parquetRows(out.resolve("rejects")).stream()
            .filter(r -> "score_below_threshold".equals(r.get("reason")))
            .toList();
    assertFalse(dropped.isEmpty());
    // semantic dedup runs after this filter: its rejects passed it, their scores unwritten
    long semantic =
        OutputReader.parquetRows(out.resolve("rejects")).stream()
            .filter(r -> "dup_semantic".equals(r.get("reason")))
            .count();
    Map<String, Double> scores = new TreeMap<>();
    java.util.Set<Double> thresholdsNamed = new java.util.HashSet<>();
    for (Map<String, Object> r : dropped) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "filip_score (-?[0-9.]+) < (-?[0-9.]+) \\(top 50% of (\\d+) scored pairs")
              .matcher((String) r.get("detail"));
      assertTrue(m.find(), (String) r.get("detail"));
      scores.put((String) r.get("sample_id"), Double.parseDouble(m.group(1)));
      thresholdsNamed.add(Double.parseDouble(m.group(2)));
      assertEquals(kept.size() + dropped.size() + semantic, Integer.parseInt(m.group(3)));
    }
    for (Map<String, Object> r : kept) {
      assertTrue(r.get("clip_score") != null);
      scores.put((String) r.get("sample_id"), (Double) r.get("filip_score"));
    }
    assertEquals(kept.size() + dropped.size(), scores.size());
    int n = scores.size() + (int) semantic;
    assertEquals(1, thresholdsNamed.size(), "every reject names one threshold");
    double threshold = thresholdsNamed.iterator().next();
    // no two pairs score the same here: the pairs at or above the score at rank ⌊N/2⌋ are the
    // ⌊N/2⌋ best, kept or then found semantic duplicates, and the threshold is the lowest of them
    assertEquals(n / 2, kept.size() + semantic, "the top half passes");
    assertTrue(
        scores.containsValue(threshold) || semantic > 0, "the threshold is a passing pair's score");
    java.util.Set<String> expected = new java.util.TreeSet<>();
    scores.forEach(
        (id, score) -> {
          if (score >= threshold) {
            expected.add(id);
          }
        });
    assertEquals(
        expected,
        kept.stream()
            .map(r -> (String) r.get("sample_id"))
            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
        "kept exactly the pairs scoring at least the score at rank " + n / 2 + " of " + n);
    com.fasterxml.jackson.databind.JsonNode manifest =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        "clipart-dual-encoder", manifest.path("model_bundles").path(0).path("name").asText());
    assertEquals(
        64,
        manifest.path("model_bundles").path(0).path("sha256").path("image.onnx").asText().length());
    assertEquals(n, manifest.path("metrics").path("counters").path("score/items").asLong());
    assertTrue(
        manifest.path("metrics").path("distributions").path("score/batch_size").path("max").asLong()
            <= 3);
    // where the run's time went, phase by phase; the phases add up to no more than the JVM's life
    JsonNode timings = manifest.path("metrics").path("timings_seconds");
    assertEquals(List.of("start-up", "plan", "job"), fieldNames(timings));
    double sum = 0;
    for (JsonNode t : timings) {
      assertTrue(t.asDouble() > 0, "a phase took time: " + timings);
      sum += t.asDouble();
    }
    assertTrue(
        sum * 1000 <= java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
        "phases " + timings + " fit in this JVM's life");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
