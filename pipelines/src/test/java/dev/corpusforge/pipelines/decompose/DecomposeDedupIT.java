package dev.corpusforge.pipelines.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.filters.dedup.text.DocumentText;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import dev.corpusforge.schemas.SampleIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact and MinHash near-duplicate removal on the bundled kernel documents with copies planted by
 * known edits: each copy is found, the survivor is the smaller id, a heavily edited copy is not,
 * the Flink and Direct runners decide the same, and every near duplicate's true Jaccard similarity
 * with its survivor (counted over all its shingles) is high.
 */
class DecomposeDedupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** What a planted copy is: how it was made, and whether it is an exact copy. */
  private record Planted(String kind, String reason) {}

  @Test
  void plantedCopiesAreFoundAndTheRunnersAgree() throws Exception {
    List<Path> docs;
    try (Stream<Path> walk = Files.walk(Path.of("..", "samples", "decompose"))) {
      docs =
          walk.filter(f -> f.toString().endsWith(".txt"))
              .map(f -> f.toAbsolutePath().normalize())
              .sorted()
              .toList();
    }
    assertTrue(docs.size() >= 100, "the kernel documents: " + docs.size());
    Map<String, String> textById = new HashMap<>();
    for (Path d : docs) {
      textById.put(SampleIds.of(d.toString()), Files.readString(d));
    }
    List<Planted> kinds =
        List.of(
            new Planted("case-and-spacing", "dup_exact"),
            new Planted("1%-words", "dup_near"),
            new Planted("5%-words-in-one-run", "dup_near"),
            new Planted("paragraphs-shuffled", "dup_near"),
            new Planted("40%-words", ""));
    Random random = new Random(21);
    Path planted = tmp.resolve("planted.jsonl");
    Map<String, String[]> pairs = new TreeMap<>(); // copy id → {original id, expected reason}
    StringBuilder rows = new StringBuilder();
    int row = 0;
    for (int i = 0; i < 20; i++) {
      Path original = docs.get(i * 5 + 3);
      String text = Files.readString(original);
      if (DocumentText.words(text).size() < 300) {
        continue;
      }
      Planted kind = kinds.get(row % kinds.size());
      String copy =
          switch (kind.kind()) {
            case "case-and-spacing" -> text.toUpperCase(java.util.Locale.ROOT).replace(" ", "  ");
            case "1%-words" -> editWords(text, 0.01, random);
            case "5%-words-in-one-run" -> editRun(text, 0.05, random);
            case "paragraphs-shuffled" -> shuffleParagraphs(text, random);
            default -> editWords(text, 0.40, random);
          };
      row++;
      rows.append(
              JSON.writeValueAsString(
                  Map.of("id", "planted-" + row + "-" + kind.kind(), "text", copy)))
          .append('\n');
      String copyId = SampleIds.of(planted.toAbsolutePath() + "#" + row);
      textById.put(copyId, copy);
      pairs.put(copyId, new String[] {SampleIds.of(original.toString()), kind.reason()});
    }
    assertTrue(pairs.size() >= 10, "planted copies: " + pairs.size());
    Files.writeString(planted, rows);

    Path flink = tmp.resolve("flink");
    Path direct = tmp.resolve("direct");
    for (Path out : List.of(flink, direct)) {
      assertEquals(
          0,
          Forge.execute(
              "run",
              "decompose",
              "--runner",
              out == flink ? "flink" : "direct",
              "--parallelism",
              out == flink ? "2" : "1",
              "--input",
              Path.of("..", "samples", "decompose").toAbsolutePath().normalize().toString(),
              "--input",
              planted.toAbsolutePath().toString(),
              "--exact-dedup",
              "--minhash",
              "--dd-shard-tokens",
              "0",
              "--output",
              out.toString(),
              "--progress-seconds",
              "0"));
    }
    Map<String, String> rejects = dedupRejects(flink);
    assertEquals(rejects, dedupRejects(direct), "the same decisions on Flink and Direct");

    // a planted copy is expected by what it is: the same normalised text, or a true Jaccard
    // similarity of its shingles far enough from the 0.8 threshold that the estimate (112
    // hash functions: standard error ≤ 0.05) cannot fall on the other side
    int expectedNear = 0;
    for (Map.Entry<String, String[]> p : pairs.entrySet()) {
      String copy = p.getKey();
      String original = p.getValue()[0];
      double truth = jaccard(textById.get(copy), textById.get(original));
      String reason =
          p.getValue()[1].equals("dup_exact")
              ? "dup_exact"
              : truth >= 0.9 ? "dup_near" : truth < 0.6 ? "" : null;
      if (reason == null) {
        continue; // near the threshold: either answer is right
      }
      String loser = copy.compareTo(original) < 0 ? original : copy;
      String survivor = loser.equals(copy) ? original : copy;
      if (reason.isEmpty()) {
        assertTrue(
            !rejects.getOrDefault(copy, "").contains(original)
                && !rejects.getOrDefault(original, "").contains(copy),
            "a copy at Jaccard " + truth + " is no duplicate: " + rejects.get(loser));
        continue;
      }
      expectedNear += reason.equals("dup_near") ? 1 : 0;
      String got = rejects.get(loser);
      assertTrue(
          got != null && got.startsWith(reason + "|") && got.contains(survivor),
          reason
              + " of "
              + survivor
              + " expected for "
              + loser
              + " (true Jaccard "
              + truth
              + "): "
              + got);
    }
    assertTrue(expectedNear >= 3, "near duplicates planted: " + expectedNear);
    // every near duplicate is truly close to its survivor, whatever pair it came from
    int near = 0;
    for (Map.Entry<String, String> r : rejects.entrySet()) {
      if (!r.getValue().startsWith("dup_near|")) {
        continue;
      }
      near++;
      String survivor = r.getValue().replaceAll(".*near duplicate of ([0-9a-f]+).*", "$1");
      double jaccard = jaccard(textById.get(r.getKey()), textById.get(survivor));
      assertTrue(jaccard >= 0.6, r.getKey() + " and " + survivor + ": Jaccard " + jaccard);
    }
    JsonNode counters =
        JSON.readTree(flink.resolve("manifest.json").toFile()).path("metrics").path("counters");
    assertTrue(near > 0);
    assertEquals(near, counters.path("dedup/dup_near").asLong(), counters.toString());
    JsonNode manifest = JSON.readTree(flink.resolve("manifest.json").toFile());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
    // what dedup removed: each removed document's tokens, counted here with the same encoding
    Map<String, long[]> removed = new TreeMap<>(); // reason → {documents, tokens}
    for (Map.Entry<String, String> r : rejects.entrySet()) {
      long[] counts = removed.computeIfAbsent(r.getValue().split("\\|", 2)[0], k -> new long[2]);
      counts[0]++;
      counts[1] += tokens(textById.get(r.getKey()));
    }
    JsonNode byReason = manifest.path("removed").path("dedup").path("by_reason");
    for (String reason : List.of("dup_exact", "dup_near")) {
      assertTrue(removed.get(reason)[0] > 0, reason);
      assertEquals(
          removed.get(reason)[0], byReason.path(reason).path("documents").asLong(), reason);
      assertEquals(removed.get(reason)[1], byReason.path(reason).path("tokens").asLong(), reason);
    }
    JsonNode clusters = manifest.path("near_duplicates");
    long clustered = 0;
    long inClusters = 0;
    for (var e :
        (Iterable<Map.Entry<String, JsonNode>>) clusters.path("clusters_by_size")::fields) {
      clustered += e.getValue().asLong();
      inClusters += Long.parseLong(e.getKey()) * e.getValue().asLong();
    }
    assertEquals(near, clusters.path("documents_removed").asLong(), clusters.toString());
    assertEquals(near, inClusters - clustered, "each cluster keeps one: " + clusters);
    assertEquals(clustered, clusters.path("clusters").asLong());
    JsonNode directManifest = JSON.readTree(direct.resolve("manifest.json").toFile());
    assertEquals(manifest.path("removed"), directManifest.path("removed"));
    assertEquals(clusters, directManifest.path("near_duplicates"));
    String report = Files.readString(flink.resolve("report.html"));
    assertTrue(
        report.contains("<h2>Removed before tokenising</h2>")
            && report.contains("<h3>Near-duplicate clusters</h3>")
            && report.contains("<code>dup_near</code>"),
        "the report's section on what was removed");
    assertEquals(
        0.8,
        manifest.path("config").path("dedup").path("min_hash").path("threshold").asDouble(),
        manifest.path("config").toString());
  }

  @Test
  void qualityRulesRejectWithDataTrovesReasonsAndKeepC4sLines() throws Exception {
    String prose =
        "The scheduler decides which task runs next on each processor of the machine. It keeps a"
            + " queue of runnable tasks and picks the one that has waited the longest. When a task"
            + " blocks on input, the scheduler moves it to a wait list until data arrives."
            + " Priorities change with behaviour, so that interactive programs stay responsive."
            + " Load balancing moves tasks between processors when one of them is idle.";
    List<Map<String, String>> docs =
        List.of(
            Map.of("id", "good", "text", prose + "\nMenu\nPlease enable JavaScript to read on."),
            Map.of("id", "one-word", "text", "word"),
            Map.of("id", "one-char", "text", "x".repeat(50_000)),
            Map.of("id", "lorem", "text", prose + "\nLorem ipsum dolor sit amet, they said."),
            Map.of("id", "code", "text", prose + "\nThe block is { x = 1 } in C code."),
            Map.of("id", "looped", "text", (prose + "\n\n").repeat(5)),
            Map.of(
                "id", "leaked", "text", prose + "\n" + LEAKED.toUpperCase(java.util.Locale.ROOT)));
    Path evals = tmp.resolve("evals.jsonl");
    Files.writeString(
        evals,
        "{\"question\": \"What does a compiler do?\", \"answer\": \"It translates code.\"}\n"
            + JSON.writeValueAsString(Map.of("question", LEAKED, "choices", List.of("a", "b")))
            + "\n");
    StringBuilder rows = new StringBuilder();
    for (Map<String, String> d : docs) {
      rows.append(JSON.writeValueAsString(d)).append('\n');
    }
    Path in = tmp.resolve("docs.jsonl");
    Files.writeString(in, rows);
    Path out = tmp.resolve("quality");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "decompose",
            "--runner",
            "direct",
            "--input",
            in.toString(),
            "--id-col",
            "id",
            "--quality",
            "gopher,c4",
            "--decontaminate",
            evals.toString(),
            "--min-log2",
            "5",
            "--dd-shard-tokens",
            "0",
            "--output",
            out.toString(),
            "--progress-seconds",
            "0"));
    Map<String, String> reasons = OutputReader.rejectReasonsByName(out.resolve("rejects"));
    assertEquals("quality/gopher_short_doc", reasons.get("docs.jsonl#2"));
    assertEquals("quality/gopher_short_doc", reasons.get("docs.jsonl#3"));
    assertEquals("quality/lorem_ipsum", reasons.get("docs.jsonl#4"));
    assertEquals("quality/curly_bracket", reasons.get("docs.jsonl#5"));
    assertEquals("quality/dup_para_frac", reasons.get("docs.jsonl#6"));
    assertEquals("decontaminate/contaminated", reasons.get("docs.jsonl#7"));
    assertEquals(6, reasons.size(), reasons.toString());
    String detail =
        OutputReader.parquetRows(out.resolve("rejects")).stream()
            .filter(r -> "contaminated".equals(r.get("reason")))
            .map(r -> (String) r.get("detail"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        detail.startsWith("shares the 13-gram \"") && detail.endsWith("\" with evals.jsonl#2"),
        "the n-gram and the evaluation row it came from: " + detail);
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(1, manifest.path("counts").path("kept").asLong());
    assertEquals(
        50,
        manifest.path("config").path("quality").path("gopher").path("min_words").asInt(),
        manifest.path("config").toString());
    assertEquals(
        2,
        manifest.path("metrics").path("counters").path("quality/c4_lines_removed").asLong(),
        "the menu line and the javascript line");
    // the kept document's tokens are its kept lines': the prose alone
    assertEquals(
        tokens(prose),
        manifest.path("tokens").path("tokens_in").asLong(),
        manifest.path("tokens").toString());
    // what each rule removed, in documents and tokens
    JsonNode removed = manifest.path("removed");
    JsonNode shortDocs = removed.path("quality").path("by_reason").path("gopher_short_doc");
    assertEquals(2, shortDocs.path("documents").asLong(), removed.toString());
    assertEquals(
        tokens(docs.get(1).get("text")) + tokens(docs.get(2).get("text")),
        shortDocs.path("tokens").asLong(),
        removed.toString());
    assertEquals(5, removed.path("quality").path("documents").asLong());
    long qualityTokens = 0;
    for (int i = 1; i <= 5; i++) {
      qualityTokens += tokens(docs.get(i).get("text"));
    }
    // C4's lines removed from the kept document count too, so every token read is accounted for
    long c4Lines = tokens(docs.get(0).get("text")) - tokens(prose);
    assertEquals(
        c4Lines,
        removed.path("quality").path("by_reason").path("c4_lines").path("tokens").asLong(),
        removed.toString());
    assertEquals(
        1,
        removed
            .path("quality")
            .path("by_reason")
            .path("c4_lines")
            .path("documents_changed")
            .asLong());
    assertEquals(qualityTokens + c4Lines, removed.path("quality").path("tokens").asLong());
    long allTokens = 0;
    for (Map<String, String> d : docs) {
      allTokens += tokens(d.get("text"));
    }
    assertEquals(allTokens, removed.path("tokens_read").asLong(), "every token read: " + removed);
    assertEquals(
        tokens(docs.get(6).get("text")),
        removed
            .path("decontaminate")
            .path("by_reason")
            .path("contaminated")
            .path("tokens")
            .asLong(),
        removed.toString());
    String lorem =
        OutputReader.parquetRows(out.resolve("rejects")).stream()
            .filter(r -> "lorem_ipsum".equals(r.get("reason")))
            .map(r -> (String) r.get("detail"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        lorem.endsWith("; begins \"" + prose.substring(0, 80) + "…\""),
        "a quality reject shows how the document begins: " + lorem);
  }

  /** A document's tokens as the run counts them: cl100k_base, end-of-text included. */
  private static long tokens(String text) {
    return CL100K.countTokensOrdinary(text) + 1;
  }

  private static final com.knuddels.jtokkit.api.Encoding CL100K =
      com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
          .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);

  /** An evaluation question, of more than 13 words, that a training document quotes. */
  private static final String LEAKED =
      "Which of the following best describes how the operating system schedules threads across"
          + " several processor cores at once?";

  /** sample id → "reason|detail" of the dedup stage's rejects. */
  private static Map<String, String> dedupRejects(Path out) throws Exception {
    Map<String, String> rejects = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("rejects"))) {
      if ("dedup".equals(r.get("stage"))) {
        rejects.put((String) r.get("sample_id"), r.get("reason") + "|" + r.get("detail"));
      }
    }
    return rejects;
  }

  /**
   * {@code fraction} of the words replaced by made-up ones, at random places. (Scattered edits cost
   * five shingles each: 5 % of the words changed this way leaves a Jaccard similarity near 0.63,
   * under the 0.8 threshold, so only 1 % is planted as a duplicate.)
   */
  private static String editWords(String text, double fraction, Random random) {
    java.util.regex.Matcher words = java.util.regex.Pattern.compile("\\S+").matcher(text);
    StringBuilder out = new StringBuilder();
    while (words.find()) {
      words.appendReplacement(
          out,
          random.nextDouble() < fraction
              ? "zq" + Integer.toString(random.nextInt(1 << 30), 36)
              : "$0");
    }
    words.appendTail(out);
    return out.toString();
  }

  /** {@code fraction} of the words, in one run at a random place, replaced by made-up ones. */
  private static String editRun(String text, double fraction, Random random) {
    List<int[]> spans = new ArrayList<>();
    java.util.regex.Matcher words = java.util.regex.Pattern.compile("\\S+").matcher(text);
    while (words.find()) {
      spans.add(new int[] {words.start(), words.end()});
    }
    int run = (int) Math.ceil(spans.size() * fraction);
    int start = random.nextInt(spans.size() - run + 1);
    StringBuilder out = new StringBuilder(text.substring(0, spans.get(start)[0]));
    for (int i = start; i < start + run; i++) {
      out.append("zq").append(Integer.toString(random.nextInt(1 << 30), 36)).append(' ');
    }
    out.append(text.substring(spans.get(start + run - 1)[1]));
    return out.toString();
  }

  private static String shuffleParagraphs(String text, Random random) {
    List<String> paragraphs = new ArrayList<>(List.of(text.split("\n\n")));
    Collections.shuffle(paragraphs, random);
    return String.join("\n\n", paragraphs);
  }

  /** The true Jaccard similarity of the two texts' sets of 5-word shingles. */
  private static double jaccard(String a, String b) {
    Set<String> x = shingles(a);
    Set<String> y = shingles(b);
    Set<String> both = new HashSet<>(x);
    both.retainAll(y);
    Set<String> either = new HashSet<>(x);
    either.addAll(y);
    return either.isEmpty() ? 0 : (double) both.size() / either.size();
  }

  private static Set<String> shingles(String text) {
    List<String> words = DocumentText.words(text);
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= words.size(); i++) {
      out.add(String.join(" ", words.subList(i, i + 5)));
    }
    return out;
  }
}
