package dev.corpusforge.pipelines.graphsummary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.CorruptParquet;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * graph-summary end to end on a generated graph with hostile rows, on Direct and embedded Flink.
 */
class GraphSummaryPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /**
   * 60 nodes in 4 topics with edges inside topics, plus every kind of bad row; returns the good
   * edges.
   */
  private Set<String> writeGraph(Path dir) throws Exception {
    Random r = new Random(5);
    String[] topics = {"compression archives", "network routing", "image codecs", "font rendering"};
    try (OutputStream n = Files.newOutputStream(dir.resolve("nodes.jsonl"))) {
      for (int i = 0; i < 60; i++) {
        String text =
            "pkg"
                + i
                + ": tool for "
                + topics[i % 4]
                + "\nWorks with "
                + topics[i % 4]
                + " and more "
                + topics[(i + 1) % 4].split(" ")[0]
                + ".";
        n.write(
            (JSON.writeValueAsString(Map.of("id", "pkg" + i, "text", text, "label", "t" + (i % 4)))
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      n.write(
          "{\"id\": \"pkg3\", \"text\": \"a second row for pkg3\"}\n"
              .getBytes(StandardCharsets.UTF_8));
      n.write("{\"text\": \"no id\"}\n".getBytes(StandardCharsets.UTF_8));
      n.write("{broken\n".getBytes(StandardCharsets.UTF_8));
      n.write(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, '"', '}', '\n'});
      n.write(
          (JSON.writeValueAsString(Map.of("id", "empty", "text", "")) + "\n")
              .getBytes(StandardCharsets.UTF_8));
      n.write(
          (JSON.writeValueAsString(
                      Map.of("id", "huge", "text", "Huge node\n" + "word ".repeat(200_000)))
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Set<String> good = new HashSet<>();
    StringBuilder edges = new StringBuilder("src,dst\n");
    for (int e = 0; e < 150; e++) {
      int a = r.nextInt(60);
      int b = (a + 4 * (1 + r.nextInt(14))) % 60;
      edges.append("pkg").append(a).append(",pkg").append(b).append('\n');
      good.add(Math.min(a, b) + "-" + Math.max(a, b));
    }
    edges.append("pkg1,pkg1\npkg2,nowhere\npkg5,pkg9,extra\npkg1,huge\n");
    good.add("1-huge");
    Files.writeString(dir.resolve("edges.csv"), edges);
    return good;
  }

  private Map<String, Map<String, Object>> samples(Path out) throws Exception {
    Map<String, Map<String, Object>> bySeed = new TreeMap<>();
    for (Map<String, Object> row : OutputReader.parquetRows(out.resolve("data"))) {
      bySeed.put((String) row.get("seed_node"), row);
    }
    return bySeed;
  }

  @Test
  void everyNodeRowIsASampleOrARejectAndTheRunnersAgree() throws Exception {
    Set<String> goodEdges = writeGraph(tmp);
    Path flink = tmp.resolve("flink");
    Path direct = tmp.resolve("direct");
    org.apache.avro.Schema nodeSchema =
        org.apache.avro.SchemaBuilder.record("Node")
            .fields()
            .requiredString("id")
            .requiredString("text")
            .endRecord();
    List<Path> corrupt =
        CorruptParquet.write(
            tmp.resolve("tables"),
            nodeSchema,
            List.of(
                new org.apache.avro.generic.GenericRecordBuilder(nodeSchema)
                    .set("id", "pq")
                    .set("text", "a node in a broken table")
                    .build()));
    String[] common = {
      "--nodes",
      tmp.resolve("nodes.jsonl").toString(),
      "--nodes",
      corrupt.get(0).toString(),
      "--nodes",
      corrupt.get(1).toString(),
      "--edges",
      tmp.resolve("edges.csv").toString(),
      "--relation",
      "depends on",
      "--prompt",
      "generic",
      "--walk-length",
      "16",
      "--progress-seconds",
      "0"
    };
    assertEquals(
        0,
        Forge.execute(
            concat(
                new String[] {
                  "run", "graph-summary", "--output", flink.toString(), "--parallelism", "2"
                },
                common)));
    assertEquals(
        0,
        Forge.execute(
            concat(
                new String[] {
                  "run", "graph-summary", "--output", direct.toString(), "--runner", "direct"
                },
                common)));

    Map<String, Map<String, Object>> samples = samples(flink);
    assertEquals(samples.keySet(), samples(direct).keySet());
    for (String seed : samples.keySet()) {
      assertEquals(
          samples.get(seed), samples(direct).get(seed), "the same sample on both runners: " + seed);
    }
    // 60 + empty + huge nodes; the rest are rejects
    assertEquals(62, samples.size());
    Map<String, String> reasons = OutputReader.rejectReasonsByName(flink.resolve("rejects"));
    assertEquals("graph/duplicate_node", reasons.get("nodes.jsonl#61"));
    assertEquals("graph/node_id_missing", reasons.get("nodes.jsonl#62"));
    assertEquals("read/malformed_row", reasons.get("nodes.jsonl#63"));
    assertEquals("read/invalid_encoding", reasons.get("nodes.jsonl#64"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.TRUNCATED + "#@1"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.WRONG_MAGIC + "#@1"));
    assertEquals(6, reasons.size(), reasons.toString());

    JsonNode manifest = JSON.readTree(flink.resolve("manifest.json").toFile());
    assertTrue(
        manifest.path("accounting").path("balanced").asBoolean(),
        manifest.path("accounting").toString());
    // node texts and summaries went through the encoder in batches of more than one
    JsonNode counters = manifest.path("metrics").path("counters");
    for (String step : List.of("align", "Align summary and graph")) {
      long items = counters.path(step + "/items").asLong();
      long batches = counters.path(step + "/batches").asLong();
      assertTrue(items > 1 && batches >= 1 && batches < items, step + ": " + counters);
    }
    JsonNode dropped = manifest.path("graph").path("edge_rows_dropped");
    assertEquals(1, dropped.path("edge_self_loop").asLong());
    assertEquals(1, dropped.path("edge_unknown_node").asLong());
    assertEquals(1, dropped.path("edge_malformed_row").asLong());

    for (Map<String, Object> s : samples.values()) {
      List<?> ids = (List<?>) s.get("node_ids");
      List<?> src = (List<?>) s.get("edge_src");
      List<?> dst = (List<?>) s.get("edge_dst");
      assertEquals(s.get("seed_node"), ids.get(0), "seed first");
      for (int e = 0; e < src.size(); e++) {
        String a = ((String) ids.get((Integer) src.get(e))).replace("pkg", "");
        String b = ((String) ids.get((Integer) dst.get(e))).replace("pkg", "");
        String key =
            a.equals("huge") || b.equals("huge")
                ? (a.equals("huge") ? b : a) + "-huge"
                : Math.min(Integer.parseInt(a), Integer.parseInt(b))
                    + "-"
                    + Math.max(Integer.parseInt(a), Integer.parseInt(b));
        assertTrue(goodEdges.contains(key), "every sample edge is an input edge: " + key);
      }
      var doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(
                  new ByteArrayInputStream(
                      ((String) s.get("graphml")).getBytes(StandardCharsets.UTF_8)));
      assertEquals(ids.size(), doc.getElementsByTagName("node").getLength());
      assertTrue(((String) s.get("summary")).length() > 0);
      float align = (Float) s.get("align_score");
      assertTrue(
          align >= 0.5f && align <= 1.0001f,
          "scored by MiniLM and above the default --min-align: " + align);
      assertTrue((Integer) s.get("prompt_tokens") <= 6000);
    }
    assertTrue(
        ((String) samples.get("huge").get("graphml")).length() < 5000,
        "a 1 MB node text is cut to --max-node-chars");

    JsonNode export = JSON.readTree(flink.resolve("exports/graphclip/summary.json").toFile());
    JsonNode nodes = JSON.readTree(flink.resolve("exports/graphclip/nodes.json").toFile());
    assertEquals(62, export.size());
    int edgesChecked = 0;
    for (int i = 0; i < export.size(); i++) {
      JsonNode e = export.get(i);
      assertEquals(i, e.path("id").asInt(), "array position = id");
      assertEquals(e.path("graph").get(0).size(), e.path("graph").get(1).size());
      String seed = nodes.get(e.path("center").asInt()).asText();
      assertEquals(samples.get(seed).get("summary"), e.path("summary").asText());
      List<?> ids = (List<?>) samples.get(seed).get("node_ids");
      List<?> src = (List<?>) samples.get(seed).get("edge_src");
      List<?> dst = (List<?>) samples.get(seed).get("edge_dst");
      assertEquals(src.size(), e.path("graph").get(0).size());
      for (int k = 0; k < src.size(); k++) {
        // each edge end, numbered in the whole graph, is the sample's node at that end
        assertEquals(
            String.valueOf(ids.get((Integer) src.get(k))),
            nodes.get(e.path("graph").get(0).get(k).asInt()).asText());
        assertEquals(
            String.valueOf(ids.get((Integer) dst.get(k))),
            nodes.get(e.path("graph").get(1).get(k).asInt()).asText());
        edgesChecked++;
      }
    }
    assertTrue(edgesChecked >= export.size(), "edges checked: " + edgesChecked);
  }

  @Test
  void seedsSampleAndIsolatedNodesAreRejectsWithTheirReasons() throws Exception {
    writeGraph(tmp);
    Path out = tmp.resolve("out");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "graph-summary",
            "--nodes",
            tmp.resolve("nodes.jsonl").toString(),
            "--edges",
            tmp.resolve("edges.csv").toString(),
            "--output",
            out.toString(),
            "--seeds",
            "sample:10",
            "--skip-isolated",
            "--progress-seconds",
            "0"));
    Map<String, Map<String, Object>> samples = samples(out);
    assertEquals(10, samples.size() + rejectsWith(out, "isolated_node"));
    assertEquals(62 - 10, rejectsWith(out, "not_a_seed"));
    assertTrue(
        JSON.readTree(out.resolve("manifest.json").toFile())
            .path("accounting")
            .path("balanced")
            .asBoolean());
  }

  @Test
  void theAlignmentFilterDropsSummariesUnderMinAlignWithTheirScore() throws Exception {
    writeGraph(tmp);
    Path out = tmp.resolve("strict");
    String[] common = {
      "run",
      "graph-summary",
      "--nodes",
      tmp.resolve("nodes.jsonl").toString(),
      "--edges",
      tmp.resolve("edges.csv").toString(),
      "--cache",
      tmp.resolve("cache").toString(),
      "--progress-seconds",
      "0"
    };
    assertEquals(
        0,
        Forge.execute(
            concat(common, new String[] {"--output", out.toString(), "--min-align", "0.9"})));
    long below = rejectsWith(out, "align_below_threshold");
    Map<String, Map<String, Object>> samples = samples(out);
    assertTrue(below > 0, "a 0.9 floor drops some extractive summaries");
    assertEquals(62, samples.size() + below);
    samples.values().forEach(s -> assertTrue((Float) s.get("align_score") >= 0.9f));
    OutputReader.parquetRows(out.resolve("rejects")).stream()
        .filter(r -> "align_below_threshold".equals(r.get("reason")))
        .forEach(
            r ->
                assertTrue(
                    ((String) r.get("detail")).contains("< --min-align 0.9"),
                    (String) r.get("detail")));
    JsonNode strict = JSON.readTree(out.resolve("manifest.json").toFile());
    assertTrue(strict.path("accounting").path("balanced").asBoolean());
    JsonNode counters = strict.path("metrics").path("counters");
    long stored = counters.path("cache/text_embeddings_stored").asLong();
    assertTrue(stored > 62, "node texts and summaries embedded and kept: " + counters);
    assertEquals(stored, counters.path("cache/text_embeddings_misses").asLong());

    // the default floor over the same cache: every text's vector is kept, so nothing is embedded
    // again, and the scores are the ones the strict run computed
    // it also writes the dense GraphCLIP export: only some nodes are kept samples, so a seed's
    // number in the graph is not its position, and the export must renumber
    Path lenient = tmp.resolve("lenient");
    assertEquals(
        0,
        Forge.execute(
            concat(
                common,
                new String[] {
                  "--output",
                  lenient.toString(),
                  "--export",
                  "graphclip,graphclip-dense",
                  "--node-label-col",
                  "label"
                })));
    JsonNode again =
        JSON.readTree(lenient.resolve("manifest.json").toFile()).path("metrics").path("counters");
    assertEquals(0, again.path("cache/text_embeddings_misses").asLong(), again.toString());
    assertEquals(0, again.path("cache/text_embeddings_stored").asLong(), again.toString());
    assertTrue(again.path("cache/text_embeddings_hits").asLong() >= stored, again.toString());
    Map<String, Map<String, Object>> all = samples(lenient);
    assertTrue(all.size() > samples.size(), "the lower floor keeps more: " + all.size());
    samples.forEach((seed, s) -> assertEquals(s, all.get(seed), "the same sample: " + seed));
    checkDenseExport(lenient.resolve("exports/graphclip-dense"), all);
  }

  /**
   * GraphCLIP's {@code utils/process.py} replayed on the dense export, then each entry traced back
   * to its kept sample: ids are positions and the seeds' dense numbers; every edge end is a row of
   * the features; the root is among its sample's nodes; the renumbered edges are the sample's
   * edges; feature row k is node k's (unit) MiniLM vector, in x.npy and nodes.parquet alike; labels
   * are the label column's classes. The loader script of samples/scripts runs on it too.
   */
  private static void checkDenseExport(Path dense, Map<String, Map<String, Object>> bySeed)
      throws Exception {
    JsonNode entries = JSON.readTree(dense.resolve("summary.json").toFile());
    List<Map<String, Object>> nodes = OutputReader.parquetFile(dense.resolve("nodes.parquet"));
    float[][] x = float32Matrix(dense.resolve("x.npy"));
    JsonNode labels = JSON.readTree(dense.resolve("labels.json").toFile());
    assertEquals(bySeed.size(), entries.size());
    assertEquals(nodes.size(), x.length);
    assertEquals(nodes.size(), labels.path("y").size());
    assertEquals(
        List.of("t0", "t1", "t2", "t3"), JSON.convertValue(labels.path("classes"), List.class));
    for (int k = 0; k < nodes.size(); k++) {
      Map<String, Object> node = nodes.get(k);
      assertEquals(k, node.get("node"));
      List<?> column = (List<?>) node.get("x");
      assertEquals(384, x[k].length);
      assertEquals(x[k].length, column.size());
      double norm = 0;
      for (int d = 0; d < x[k].length; d++) {
        assertEquals(x[k][d], ((Number) column.get(d)).floatValue());
        norm += x[k][d] * x[k][d];
      }
      assertEquals(1.0, norm, 1e-3, "a unit vector");
      Object label = node.get("label");
      assertEquals(
          label == null ? -1 : Integer.parseInt(((String) label).substring(1)),
          labels.path("y").get(k).asInt());
    }
    int selfLoops = 0;
    for (int i = 0; i < entries.size(); i++) {
      JsonNode jd = entries.get(i);
      assertEquals(i, jd.path("id").asInt(), "id == position");
      // process.py: node_idx = unique(edges); node_idx_map; root = node_idx_map[id]
      java.util.TreeSet<Integer> nodeIdx = new java.util.TreeSet<>();
      jd.path("graph").forEach(side -> side.forEach(v -> nodeIdx.add(v.asInt())));
      assertTrue(nodeIdx.first() >= 0 && nodeIdx.last() < x.length, "x[node_idx] in range");
      assertTrue(nodeIdx.contains(i), "node_idx_map[id] exists");
      String seed = (String) nodes.get(i).get("node_id");
      Map<String, Object> sample = bySeed.get(seed);
      assertTrue(sample != null, "entry " + i + " is the sample of seed " + seed);
      assertEquals(sample.get("summary"), jd.path("summary").asText());
      // the renumbered edges, read back as node ids, are the sample's edges
      List<?> ids = (List<?>) sample.get("node_ids");
      List<?> src = (List<?>) sample.get("edge_src");
      List<?> dst = (List<?>) sample.get("edge_dst");
      Set<String> want = new HashSet<>();
      for (int e = 0; e < src.size(); e++) {
        want.add(
            ids.get(((Number) src.get(e)).intValue())
                + ">"
                + ids.get(((Number) dst.get(e)).intValue()));
      }
      Set<String> got = new HashSet<>();
      JsonNode graph = jd.path("graph");
      for (int e = 0; e < graph.get(0).size(); e++) {
        got.add(
            nodes.get(graph.get(0).get(e).asInt()).get("node_id")
                + ">"
                + nodes.get(graph.get(1).get(e).asInt()).get("node_id"));
      }
      if (src.isEmpty()) {
        assertEquals(Set.of(seed + ">" + seed), got, "a lone seed is a self-loop");
        selfLoops++;
      } else {
        assertEquals(want, got, "the edges of " + seed);
      }
    }
    assertTrue(selfLoops > 0, "the node with empty text and no edges is a one-node sample");
    JsonNode counted =
        JSON.readTree(dense.resolve("../../manifest.json").normalize().toFile())
            .path("exports")
            .path("graphclip-dense");
    assertEquals(entries.size(), counted.path("samples").asInt(), counted.toString());
    assertEquals(x.length, counted.path("nodes").asInt(), counted.toString());
    assertEquals(selfLoops, counted.path("self_loops").asInt(), counted.toString());
    assertEquals(384, counted.path("dimensions").asInt(), counted.toString());
    if (OutputReader.numpy()) {
      Process loader =
          new ProcessBuilder(
                  "python3",
                  Path.of("..", "samples", "scripts", "graphclip_dense_loader.py").toString(),
                  dense.toString())
              .redirectErrorStream(true)
              .start();
      String printed = new String(loader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, loader.waitFor(), printed);
      JsonNode counts = JSON.readTree(printed.lines().reduce((a, b) -> b).orElse("{}"));
      assertEquals(entries.size(), counts.path("samples").asInt(), printed);
      assertEquals(x.length, counts.path("nodes").asInt(), printed);
    }
  }

  /** A 2-D little-endian float32 .npy file's rows. */
  private static float[][] float32Matrix(Path npy) throws Exception {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(Files.readAllBytes(npy)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int headerLength = b.getShort(8) & 0xffff;
    String header =
        new String(Files.readAllBytes(npy), 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'"), header);
    java.util.regex.Matcher shape =
        java.util.regex.Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
    assertTrue(shape.find(), header);
    int rows = Integer.parseInt(shape.group(1));
    int columns = Integer.parseInt(shape.group(2));
    b.position(10 + headerLength);
    float[][] m = new float[rows][columns];
    for (float[] row : m) {
      for (int c = 0; c < columns; c++) {
        row[c] = b.getFloat();
      }
    }
    return m;
  }

  @Test
  void anOpenAiCompatibleServerWritesTheSummariesAndARerunAsksForNothing() throws Exception {
    writeGraph(tmp);
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    try (okhttp3.mockwebserver.MockWebServer server = new okhttp3.mockwebserver.MockWebServer()) {
      server.setDispatcher(
          new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public okhttp3.mockwebserver.MockResponse dispatch(
                okhttp3.mockwebserver.RecordedRequest request) {
              int n = calls.incrementAndGet();
              String prompt = request.getBody().readUtf8();
              if (n % 7 == 0) {
                return new okhttp3.mockwebserver.MockResponse().setResponseCode(429);
              }
              if (prompt.contains("\\\"pkg13: tool")) {
                return new okhttp3.mockwebserver.MockResponse()
                    .setBody("{\"choices\": \"garbage\"}");
              }
              String seed =
                  prompt.replaceAll("(?s).*The first node, \\\\\"([^\\\\]*)\\\\\".*", "$1");
              return new okhttp3.mockwebserver.MockResponse()
                  .setBody(
                      "{\"choices\": [{\"message\": {\"content\": \""
                          + seed
                          + " and its linked packages.\"}}]}");
            }
          });
      server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      Path out = tmp.resolve("llm");
      String[] args = {
        "run",
        "graph-summary",
        "--nodes",
        tmp.resolve("nodes.jsonl").toString(),
        "--edges",
        tmp.resolve("edges.csv").toString(),
        "--output",
        out.toString(),
        "--summarizer",
        "openai",
        "--endpoint",
        server.url("/v1").toString(),
        "--llm-model",
        "test",
        "--llm-backoff-ms",
        "5",
        "--no-align",
        "--progress-seconds",
        "0",
        "--overwrite"
      };
      assertEquals(0, Forge.execute(args));
      Map<String, Map<String, Object>> samples = samples(out);
      assertEquals(61, samples.size());
      assertEquals("openai:test", samples.get("pkg7").get("summarizer"));
      assertTrue(
          ((String) samples.get("pkg7").get("summary")).startsWith("pkg7: tool for"),
          (String) samples.get("pkg7").get("summary"));
      assertEquals(
          "summarize/llm_bad_response",
          OutputReader.rejectReasonsByName(out.resolve("rejects")).get("pkg13"));
      int asked = calls.get();
      assertTrue(Files.exists(tmp.resolve("llm.llm-cache")), "the cache sits next to the output");

      assertEquals(0, Forge.execute(args));
      assertEquals(samples, samples(out));
      // the re-run asks only for the one answer that was never usable
      assertTrue(calls.get() - asked <= 2, (calls.get() - asked) + " requests on the re-run");

      // the same run into another output, killed (SIGKILL) once it has asked 35 times, then
      // resumed: the samples of the uninterrupted run, and only the answers it lacked asked for
      Path resumed = tmp.resolve("resumed");
      String[] resumedArgs =
          java.util.Arrays.stream(args)
              .filter(a -> !a.equals("--overwrite"))
              .toArray(String[]::new);
      resumedArgs[java.util.Arrays.asList(resumedArgs).indexOf("--output") + 1] =
          resumed.toString();
      resumedArgs = concat(resumedArgs, new String[] {"--llm-concurrency", "2"});
      int before = calls.get();
      Process killed =
          dev.corpusforge.pipelines.testing.ForgeCall.launch(
              tmp.resolve("killed.log"), resumedArgs);
      try {
        dev.corpusforge.pipelines.testing.Await.until(
            () -> {
              assertTrue(
                  killed.isAlive(),
                  () -> "ended before the kill: " + read(tmp.resolve("killed.log")));
              return calls.get() - before >= 35;
            },
            java.time.Duration.ofSeconds(180),
            java.time.Duration.ofMillis(10),
            () -> "35 answers");
        killed.destroyForcibly();
        assertTrue(killed.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      } finally {
        killed.destroyForcibly();
      }
      int askedBeforeKill = calls.get() - before;
      assertFalse(Files.exists(resumed.resolve("_SUCCESS")));
      int beforeResume = calls.get();
      assertEquals(0, Forge.execute(concat(resumedArgs, new String[] {"--resume"})));
      int askedOnResume = calls.get() - beforeResume;
      assertEquals(samples, samples(resumed));
      System.out.printf(
          "LLM requests: whole run %d; killed run %d, its resumption %d%n",
          asked, askedBeforeKill, askedOnResume);
      // at most the answers in flight at the kill (2 per worker, 2 workers) and the 429s asked
      // again
      assertTrue(
          askedOnResume <= asked - askedBeforeKill + 6 + asked / 7 + 2,
          askedOnResume
              + " requests on the resume, "
              + askedBeforeKill
              + " before the kill, "
              + asked
              + " in a whole run");
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static long rejectsWith(Path out, String reason) throws Exception {
    return OutputReader.parquetRows(out.resolve("rejects")).stream()
        .filter(r -> reason.equals(r.get("reason")))
        .count();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
