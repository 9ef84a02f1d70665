package dev.corpusforge.pipelines.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.CorruptParquet;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** decompose end to end on real kernel documents and on hostile ones. */
class DecomposePipelineIT {
  @TempDir Path tmp;

  /** Every data row of every len=N folder, read back with parquet-hadoop's Group API. */
  static List<Map<String, Object>> chunks(Path out) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(out.resolve("data"))) {
      for (Path dir : dirs.sorted().toList()) {
        int len = Integer.parseInt(dir.getFileName().toString().substring("len=".length()));
        for (Map<String, Object> r : OutputReader.parquetRows(dir)) {
          assertEquals(len, 1 << (Integer) r.get("bucket"), "row in the folder of its bucket");
          rows.add(r);
        }
      }
    }
    return rows;
  }

  /**
   * Properties of the split on the written rows, per document, and the manifest's token balance.
   */
  static void checkSplit(Path out, boolean plusOne) throws Exception {
    Map<String, List<Map<String, Object>>> byDoc = new TreeMap<>();
    long tokensOut = 0;
    for (Map<String, Object> r : chunks(out)) {
      byDoc.computeIfAbsent((String) r.get("document_sample_id"), k -> new ArrayList<>()).add(r);
      int length = (Integer) r.get("length");
      assertEquals((1 << (Integer) r.get("bucket")) + (plusOne ? 1 : 0), length);
      assertEquals(length, ((List<?>) r.get("tokens")).size());
      tokensOut += length;
    }
    for (List<Map<String, Object>> doc : byDoc.values()) {
      doc.sort((a, b) -> Long.compare((Long) a.get("offset"), (Long) b.get("offset")));
      long next = 0;
      for (Map<String, Object> c : doc) {
        assertEquals(next, (Long) c.get("offset"), "contiguous and non-overlapping");
        next += (Integer) c.get("length");
      }
    }
    JsonNode tokens =
        new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).path("tokens");
    assertEquals(tokensOut, tokens.path("tokens_out").asLong());
    assertEquals(
        tokens.path("tokens_in").asLong(),
        tokensOut
            + tokens.path("tokens_dropped").path("tail_below_min").asLong()
            + tokens.path("tokens_dropped").path("too_short").asLong());
    assertTrue(tokens.path("balanced").asBoolean());
  }

  /**
   * Each document's chunks, in offset order, are JTokkit's own cl100k_base encoding of its source
   * text plus end-of-text, up to a dropped tail shorter than the smallest chunk (2^8 + 1): checked
   * against an encoding made here, whole, not the pipeline's (which may stream a file in segments).
   *
   * @param texts source_id → the document's text; documents not named are read from their file
   * @return documents checked
   */
  /** A text file's content, gunzipped when it is {@code .gz}. */
  private static String readText(String source) throws java.io.IOException {
    Path file = source.startsWith("file:") ? Path.of(java.net.URI.create(source)) : Path.of(source);
    if (!source.endsWith(".gz")) {
      return Files.readString(file);
    }
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static int checkTokensAgainstJtokkit(Path out, Map<String, String> texts) throws Exception {
    com.knuddels.jtokkit.api.Encoding cl100k =
        com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
            .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    Map<String, List<Map<String, Object>>> byDoc = new TreeMap<>();
    for (Map<String, Object> r : chunks(out)) {
      byDoc.computeIfAbsent((String) r.get("document_sample_id"), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Map<String, Object>>> doc : byDoc.entrySet()) {
      String source = (String) doc.getValue().get(0).get("source_id");
      String text = texts.containsKey(source) ? texts.get(source) : readText(source);
      List<Integer> want = new ArrayList<>(cl100k.encodeOrdinary(text).boxed());
      want.add(100257);
      List<Integer> got = new ArrayList<>();
      doc.getValue().sort((a, b) -> Long.compare((Long) a.get("offset"), (Long) b.get("offset")));
      for (Map<String, Object> c : doc.getValue()) {
        for (Object t : (List<?>) c.get("tokens")) {
          got.add(((Number) t).intValue());
        }
      }
      assertTrue(got.size() <= want.size(), source + ": more tokens than the source has");
      assertEquals(
          want.subList(0, got.size()),
          got,
          source + ": chunk tokens are the source's tokens in order");
      int tail = want.size() - got.size();
      assertTrue(
          tail < 257,
          source + ": the dropped tail (" + tail + " tokens) is shorter than the smallest chunk");
    }
    return byDoc.size();
  }

  /**
   * sample_id → what a row holds, for the rows of documents whose source contains {@code under}.
   */
  static Map<String, String> fingerprint(Path out, String under) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : chunks(out)) {
      if (((String) r.get("source_id")).contains(under)) {
        rows.put(
            (String) r.get("sample_id"),
            r.get("source_id")
                + "|"
                + r.get("offset")
                + "|"
                + r.get("bucket")
                + "|"
                + r.get("tokens").hashCode());
      }
    }
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("rejects"))) {
      if (((String) r.get("source")).contains(under)) {
        rows.put(
            (String) r.get("sample_id"),
            r.get("stage") + "|" + r.get("reason") + "|" + r.get("detail"));
      }
    }
    return rows;
  }

  @Test
  void kernelDocumentsGiveTheSameChunksOnFlinkAndDirect() throws Exception {
    String input = Path.of("..", "samples", "decompose").toAbsolutePath().normalize().toString();
    Path flink = tmp.resolve("flink");
    Path direct = tmp.resolve("direct");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--input",
            input,
            "--output",
            flink.toString(),
            "--parallelism",
            "2",
            "--progress-seconds",
            "0",
            "--dd-shard-tokens",
            "8192"));
    // the Direct runner, Beam's reference, on one folder of the documents (its per-bundle cost is
    // high): a document's chunks and their ids depend on the document alone, so they must match
    String folder = "/docs/admin-guide/";
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--runner",
            "direct",
            "--input",
            input + "/docs/admin-guide",
            "--output",
            direct.toString(),
            "--parallelism",
            "1",
            "--progress-seconds",
            "0"));
    assertTrue(Files.exists(flink.resolve("_SUCCESS")));
    checkSplit(flink, true);
    Map<String, String> f = fingerprint(flink, folder);
    assertTrue(f.size() >= 15, "chunks of the folder's 15 documents: " + f.size());
    assertEquals(fingerprint(direct, folder), f);
    assertEquals(
        fingerprint(direct, ""), f, "the Direct run holds the folder's rows and no others");
    JsonNode manifest = new ObjectMapper().readTree(flink.resolve("manifest.json").toFile());
    assertTrue(
        manifest.path("buckets").has("256") && manifest.path("buckets").has("8192"),
        manifest.path("buckets").toString());
    assertEquals(
        manifest.path("counts").path("inputs").asLong(),
        manifest.path("counts").path("kept").asLong()
            + manifest.path("counts").path("rejected").asLong());
    assertEquals(
        manifest.path("counts").path("kept").asLong(),
        checkTokensAgainstJtokkit(flink, Map.of()),
        "every kept document's tokens checked");
    checkCurriculum(flink);
    checkReleasedLayout(flink, 8192);
  }

  /**
   * The open_lm flags over the D_k export: every bucket's sequences per epoch are whole shards for
   * each GPU, the tokens per epoch are what they add up to, and the batch multiples halve bucket by
   * bucket.
   */
  private void checkOpenLmFlags(Path out) throws Exception {
    assertEquals(
        0,
        Forge.execute(
            "curriculum", out.toString(), "--open-lm", "--gpus", "2", "--global-batch", "1"));
    JsonNode json =
        new ObjectMapper().readTree(out.resolve("schedules/open_lm-grow-p2/open_lm.json").toFile());
    String flags = json.path("flags").asText();
    List<String> words = List.of(flags.split(" "));
    List<Long> seqs = numbersAfter(words, "--source-num-seq-per-epoch");
    List<Long> mult = numbersAfter(words, "--dataset-batch-mult");
    List<String> manifests = new ArrayList<>();
    for (int i = words.indexOf("--dataset-manifest") + 1; !words.get(i).startsWith("--"); i++) {
      manifests.add(words.get(i));
    }
    assertEquals(manifests.size(), seqs.size(), flags);
    long tokens = 0;
    for (int i = 0; i < manifests.size(); i++) {
      int k = Integer.parseInt(manifests.get(i).replaceAll(".*/D_(\\d+)/manifest.jsonl", "$1"));
      long perShard =
          Files.readAllLines(Path.of(manifests.get(i))).stream()
              .map(l -> l.replaceAll(".*\"num_sequences\":(\\d+).*", "$1"))
              .mapToLong(Long::parseLong)
              .max()
              .orElseThrow();
      assertEquals(0, seqs.get(i) % (perShard * 2), "bucket " + k + ": whole shards for 2 GPUs");
      tokens += seqs.get(i) << k;
      assertEquals(mult.get(0) >> i, (long) mult.get(i), flags);
    }
    assertEquals(tokens, numbersAfter(words, "--train-num-samples").get(0), flags);
    assertEquals(tokens, json.path("train_num_samples").asLong());
  }

  private static List<Long> numbersAfter(List<String> words, String flag) {
    List<Long> numbers = new ArrayList<>();
    for (int i = words.indexOf(flag) + 1; i < words.size() && !words.get(i).startsWith("--"); i++) {
      numbers.add(Long.parseLong(words.get(i)));
    }
    return numbers;
  }

  /**
   * Reading exports/dd back gives every bucket's sequences in sample-id order, in full shards but
   * the last.
   */
  private void checkReleasedLayout(Path out, long shardTokens) throws Exception {
    Map<Integer, List<Map<String, Object>>> byBucket = new TreeMap<>();
    for (Map<String, Object> r : chunks(out)) {
      byBucket.computeIfAbsent((Integer) r.get("bucket"), k -> new ArrayList<>()).add(r);
    }
    boolean sawSeveralShards = false;
    for (Map.Entry<Integer, List<Map<String, Object>>> bucket : byBucket.entrySet()) {
      int k = bucket.getKey();
      int perShard = (int) Math.min(shardTokens >> k, 65536);
      Path dir = out.resolve("exports/dd/D_" + k);
      List<String> manifest = Files.readAllLines(dir.resolve("manifest.jsonl"));
      List<String> fromTars = new ArrayList<>();
      for (int s = 0; s < manifest.size(); s++) {
        JsonNode line = new ObjectMapper().readTree(manifest.get(s));
        assertEquals(String.format("shard-%07d", s), line.path("shard").asText());
        boolean last = s == manifest.size() - 1;
        assertEquals(
            last ? line.path("num_sequences").asInt() : perShard,
            line.path("num_sequences").asInt(),
            "full shards but the last");
        assertEquals(
            line.path("num_sequences").asInt() < perShard, line.path("partial").asBoolean());
        Map<String, byte[]> members = new TreeMap<>();
        try (var tar =
            new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                Files.newInputStream(dir.resolve(line.path("shard").asText() + ".tar")))) {
          for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            members.put(e.getName(), tar.readAllBytes());
          }
        }
        assertEquals(line.path("num_sequences").asInt(), members.size());
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
          assertEquals(
              String.format("%012d.txt", (long) fromTars.size()),
              m.getKey(),
              "keys number the sequences from 0");
          fromTars.add(new String(m.getValue(), StandardCharsets.UTF_8));
        }
      }
      sawSeveralShards |= manifest.size() > 1;
      List<Map<String, Object>> rows = bucket.getValue();
      rows.sort((a, b) -> ((String) a.get("sample_id")).compareTo((String) b.get("sample_id")));
      List<String> fromParquet = rows.stream().map(r -> r.get("tokens").toString()).toList();
      assertEquals(
          fromParquet,
          fromTars,
          "bucket " + k + ": the tars hold the Parquet rows' tokens in sample-id order");
    }
    assertTrue(sawSeveralShards, "some bucket spans several shards");
  }

  /**
   * A Grow-P2 schedule over the output: equal tokens per step, known ids, none twice in an epoch,
   * short buckets first.
   */
  private void checkCurriculum(Path out) throws Exception {
    checkOpenLmFlags(out);
    assertEquals(
        0,
        Forge.execute(
            "curriculum",
            out.toString(),
            "--tokens-per-step",
            "16384",
            "--curriculum",
            "grow-p2",
            "--epochs",
            "2",
            "--seed",
            "3"));
    Path dir = out.resolve("schedules/grow-p2-seed3");
    java.util.Set<String> known = new java.util.HashSet<>();
    chunks(out).forEach(r -> known.add((String) r.get("sample_id")));
    List<Map<String, Object>> steps = new ArrayList<>();
    try (var reader =
        org.apache.parquet.hadoop.ParquetReader.builder(
                new org.apache.parquet.hadoop.example.GroupReadSupport(),
                new org.apache.hadoop.fs.Path(dir.resolve("schedule.parquet").toUri()))
            .build()) {
      for (org.apache.parquet.example.data.Group g; (g = reader.read()) != null; ) {
        org.apache.parquet.example.data.Group list = g.getGroup("sequence_ids", 0);
        List<String> ids = new ArrayList<>();
        for (int j = 0; j < list.getFieldRepetitionCount(0); j++) {
          ids.add(list.getString(0, j));
        }
        steps.add(
            Map.of(
                "epoch",
                g.getInteger("epoch", 0),
                "bucket",
                g.getInteger("bucket", 0),
                "ids",
                ids));
      }
    }
    assertFalse(steps.isEmpty());
    Map<Integer, java.util.Set<String>> seen = new TreeMap<>();
    for (Map<String, Object> step : steps) {
      @SuppressWarnings("unchecked")
      List<String> ids = (List<String>) step.get("ids");
      assertEquals(16384, ids.size() << (Integer) step.get("bucket"), "equal tokens per step");
      assertTrue(known.containsAll(ids));
      for (String id : ids) {
        assertTrue(
            seen.computeIfAbsent((Integer) step.get("epoch"), e -> new java.util.HashSet<>())
                .add(id),
            "no sequence twice in an epoch");
      }
    }
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertEquals(steps.size(), summary.path("steps").asLong());
    assertTrue(
        summary.path("cost_ratio").asDouble() > 0 && summary.path("cost_ratio").asDouble() < 1,
        summary.toString());
  }

  @Test
  void hostileDocumentsAreRejectsOrCorrectSplits() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("empty.txt"), "");
    Files.writeString(in.resolve("blank.txt"), " \n\t \n");
    Files.writeString(in.resolve("one-token.txt"), "a");
    // "a" and " a" are one cl100k token each: 256 tokens + end-of-text = exactly 2^8 + 1
    Files.writeString(in.resolve("exact-257.txt"), "a" + " a".repeat(255));
    Files.write(
        in.resolve("bad-utf8.txt"),
        new byte[] {'o', 'k', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'n', 'o'});
    Files.write(in.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    // a 3 MB document streamed in 64 KB segments
    StringBuilder big = new StringBuilder();
    for (int i = 0; big.length() < 3_000_000; i++) {
      big.append("Line ")
          .append(i)
          .append(": the scheduler balances load across every CPU of the machine.\n");
    }
    Files.writeString(in.resolve("big.txt"), big);
    Path rows = tmp.resolve("rows.jsonl");
    List<byte[]> lines =
        List.of(
            ("{\"id\": \"good\", \"text\": \"" + "word ".repeat(600) + "\"}")
                .getBytes(StandardCharsets.UTF_8),
            "{\"id\": \"broken\", \"text\": ".getBytes(StandardCharsets.UTF_8),
            "{\"id\": \"no-text\"}".getBytes(StandardCharsets.UTF_8),
            "{\"id\": \"number\", \"text\": 42}".getBytes(StandardCharsets.UTF_8),
            "{\"id\": \"null\", \"text\": null}".getBytes(StandardCharsets.UTF_8),
            "[1, 2, 3]".getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc3, '"', '}'},
            "   ".getBytes(StandardCharsets.UTF_8),
            // a line over --max-row-bytes, and a document of one repeated character
            ("{\"id\": \"huge\", \"text\": \"" + "a".repeat(2_000_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8),
            ("{\"id\": \"same-char\", \"text\": \"" + "x".repeat(20_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    try (var w = Files.newOutputStream(rows)) {
      for (byte[] line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
    // the same rows compressed with zstd (in a folder of their own: beside rows.jsonl they would
    // be the same table twice); a plain-text document gzipped
    Path zstRows = Files.createDirectories(tmp.resolve("zst")).resolve("rows.jsonl.zst");
    try (var z = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(zstRows))) {
      z.write(Files.readAllBytes(rows));
    }
    String gzText = "The kernel schedules tasks on every CPU. ".repeat(40);
    try (var z =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(in.resolve("page.txt.gz")))) {
      z.write(gzText.getBytes(StandardCharsets.UTF_8));
    }
    // 400 rows of 1 KB zstd-compressed, cut half way: the rows before the damage are documents
    Path truncated = tmp.resolve("truncated.jsonl.zst");
    java.util.Random random = new java.util.Random(7);
    java.io.ByteArrayOutputStream zst = new java.io.ByteArrayOutputStream();
    Map<String, String> texts = new java.util.HashMap<>();
    texts.put("good", "word ".repeat(600));
    texts.put("same-char", "x".repeat(20_000));
    try (var z = new com.github.luben.zstd.ZstdOutputStream(zst)) {
      for (int r = 0; r < 400; r++) {
        StringBuilder text = new StringBuilder();
        while (text.length() < 1000) {
          text.append(Integer.toString(random.nextInt(1 << 20), 36)).append(' ');
        }
        texts.put("t" + r, text.toString());
        z.write(
            ("{\"id\": \"t" + r + "\", \"text\": \"" + text + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = zst.toByteArray();
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    // a gzip bomb: 64 MB of zeros in 64 KB, over --max-decompressed-bytes
    Path bomb = tmp.resolve("bomb.jsonl.gz");
    try (var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bomb))) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        z.write(zeros);
      }
    }
    org.apache.avro.Schema doc =
        org.apache.avro.SchemaBuilder.record("Doc")
            .fields()
            .requiredString("id")
            .requiredString("text")
            .endRecord();
    CorruptParquet.write(
        in,
        doc,
        List.of(
            new org.apache.avro.generic.GenericRecordBuilder(doc)
                .set("id", "pq")
                .set("text", "word ".repeat(600))
                .build()));
    Path out = tmp.resolve("out");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--input",
            in.toString(),
            "--input",
            rows.toString(),
            "--input",
            zstRows.toString(),
            "--input",
            truncated.toString(),
            "--input",
            bomb.toString(),
            "--id-col",
            "id",
            "--output",
            out.toString(),
            "--segment-chars",
            "65536",
            "--max-row-bytes",
            "1000000",
            "--max-decompressed-bytes",
            "8000000",
            "--progress-seconds",
            "0"));
    checkSplit(out, true);
    Map<String, String> reasons = OutputReader.rejectReasonsByName(out.resolve("rejects"));
    assertEquals("split/empty_text", reasons.get("empty.txt"));
    assertEquals("split/empty_text", reasons.get("blank.txt"));
    assertEquals("split/too_short", reasons.get("one-token.txt"));
    assertEquals("split/invalid_encoding", reasons.get("bad-utf8.txt"));
    assertEquals("read/unsupported_file", reasons.get("picture.png"));
    assertEquals("read/malformed_row", reasons.get("rows.jsonl#2"));
    assertEquals("read/text_missing", reasons.get("rows.jsonl#3"));
    assertEquals("read/text_not_string", reasons.get("rows.jsonl#4"));
    assertEquals("read/text_missing", reasons.get("rows.jsonl#5"));
    assertEquals("read/malformed_row", reasons.get("rows.jsonl#6"));
    assertEquals("read/invalid_encoding", reasons.get("rows.jsonl#7"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.TRUNCATED + "#@1"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.WRONG_MAGIC + "#@1"));
    assertEquals("read/row_too_large", reasons.get("rows.jsonl#8"));
    // the zstd copy of the rows: the same outcome for every row
    for (int r = 1; r <= 9; r++) {
      assertEquals(reasons.get("rows.jsonl#" + r), reasons.get("rows.jsonl.zst#" + r), "row " + r);
    }
    assertEquals("read/malformed_file", reasons.get("bomb.jsonl.gz#@1"));
    List<Map<String, Object>> rejectRows = OutputReader.parquetRows(out.resolve("rejects"));
    // a compressed row's id is the uncompressed table's row id
    assertEquals(
        dev.corpusforge.schemas.SampleIds.of(zstRows.getParent().resolve("rows.jsonl") + "#2"),
        rejectRows.stream()
            .filter(r -> ((String) r.get("source")).equals(zstRows + "#2"))
            .map(r -> r.get("sample_id"))
            .findFirst()
            .orElseThrow());
    assertTrue(
        rejectRows.stream()
            .anyMatch(
                r ->
                    ((String) r.get("source")).endsWith("bomb.jsonl.gz#@1")
                        && ((String) r.get("detail")).contains("--max-decompressed-bytes")),
        "the bomb's reject names the cap");
    List<String> damaged =
        reasons.keySet().stream().filter(k -> k.startsWith("truncated.jsonl.zst")).toList();
    assertEquals(1, damaged.size(), damaged.toString());
    int firstLost = Integer.parseInt(damaged.get(0).replaceAll(".*#@", ""));
    assertTrue(firstLost > 1 && firstLost < 400, "some rows before the damage: " + damaged);
    assertEquals("read/malformed_file", reasons.get(damaged.get(0)));
    assertEquals(23, reasons.size(), reasons.toString());
    List<Map<String, Object>> chunks = chunks(out);
    List<Map<String, Object>> exact =
        chunks.stream()
            .filter(r -> ((String) r.get("source_id")).endsWith("exact-257.txt"))
            .toList();
    assertEquals(1, exact.size());
    assertEquals(8, exact.get(0).get("bucket"));
    assertTrue(
        chunks.stream().anyMatch(r -> "good".equals(r.get("source_id"))),
        "the row id is the source id");
    // the compressed rows' chunks are the plain rows' chunks, their ids apart
    for (String id : List.of("good", "same-char")) {
      Map<String, List<String>> byDocument = new TreeMap<>();
      chunks.stream()
          .filter(r -> id.equals(r.get("source_id")))
          .sorted((x, y) -> Long.compare((Long) x.get("offset"), (Long) y.get("offset")))
          .forEach(
              r ->
                  byDocument
                      .computeIfAbsent((String) r.get("document_sample_id"), k -> new ArrayList<>())
                      .add(r.get("offset") + ":" + r.get("bucket") + ":" + r.get("tokens")));
      assertEquals(2, byDocument.size(), id + ": one document per file");
      List<List<String>> docs = new ArrayList<>(byDocument.values());
      assertEquals(docs.get(0), docs.get(1), id + ": the same chunks from both files");
    }
    assertEquals(
        firstLost - 1,
        chunks.stream()
            .map(r -> (String) r.get("source_id"))
            .filter(sid -> sid.matches("t\\d+"))
            .distinct()
            .count(),
        "every row before the damage is a document");
    assertTrue(
        chunks.stream().anyMatch(r -> ((String) r.get("source_id")).endsWith("page.txt.gz")),
        "the gzipped text file is a document");
    long bigTokens =
        chunks.stream()
            .filter(r -> ((String) r.get("source_id")).endsWith("big.txt"))
            .mapToLong(r -> (Integer) r.get("length"))
            .sum();
    assertTrue(bigTokens > 400_000, "the big document is split whole: " + bigTokens);
    assertEquals(
        7 + firstLost - 1,
        checkTokensAgainstJtokkit(out, texts),
        "exact-257.txt, the 3 MB big.txt streamed in 64 KB segments, page.txt.gz, the good and"
            + " same-char rows twice, the rows before the damage");
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        3 + 2 * 2 + firstLost - 1,
        manifest.path("counts").path("kept").asLong(),
        "exact-257.txt, big.txt, page.txt.gz, the good and same-char rows twice, and the rows"
            + " before the damage are kept");
    assertEquals(
        8 + 9 * 2 + 2 + firstLost + 1,
        manifest.path("counts").path("inputs").asLong(),
        "8 files, 9 rows twice, 2 unreadable Parquet files, the truncated file's rows and its"
            + " damage, the bomb; the blank line is no record");
  }

  @Test
  void theConcatAndChunkBaselineCutsTheConcatenatedDocumentsAndCountsCrossings() throws Exception {
    // one folder of the sample (15 documents) is enough to cut across document boundaries
    String input =
        Path.of("..", "samples", "decompose", "docs", "admin-guide")
            .toAbsolutePath()
            .normalize()
            .toString();
    Path out = tmp.resolve("baseline");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--mode",
            "concat-chunk",
            "--seq-len",
            "1024",
            "--input",
            input,
            "--output",
            out.toString(),
            "--progress-seconds",
            "0"));
    List<Map<String, Object>> rows = chunks(out);
    rows.sort((a, b) -> Long.compare((Long) a.get("offset"), (Long) b.get("offset")));
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i * 1025L, rows.get(i).get("offset"), "sequences tile the concatenation");
      assertEquals(1025, ((List<?>) rows.get(i).get("tokens")).size());
    }
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    JsonNode tokens = manifest.path("tokens");
    assertEquals(rows.size() * 1025L, tokens.path("tokens_out").asLong());
    assertTrue(tokens.path("tokens_dropped").path("tail_below_seq_len").asLong() < 1025);
    assertEquals(
        tokens.path("tokens_in").asLong(),
        tokens.path("tokens_out").asLong()
            + tokens.path("tokens_dropped").path("tail_below_seq_len").asLong());
    JsonNode baseline = manifest.path("concat_chunk");
    assertEquals(rows.size(), baseline.path("sequences").asLong());
    long crossing = baseline.path("crossing_document_boundary").asLong();
    assertTrue(crossing > 0 && crossing <= rows.size(), baseline.toString());
    // the baseline sees the same tokens as the decomposition of the same documents
    Path decomposed = tmp.resolve("decomposed");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--input",
            input,
            "--output",
            decomposed.toString(),
            "--progress-seconds",
            "0",
            "--dd-shard-tokens",
            "0"));
    assertFalse(
        Files.exists(decomposed.resolve("exports/dd")), "--dd-shard-tokens 0 writes no D_k export");
    assertEquals(
        new ObjectMapper()
            .readTree(decomposed.resolve("manifest.json").toFile())
            .path("tokens")
            .path("tokens_in")
            .asLong(),
        tokens.path("tokens_in").asLong());
  }
}
