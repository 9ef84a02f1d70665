import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.filters.dedup.text.DocumentText;
import dev.corpusforge.filters.dedup.text.MinHash;
import dev.corpusforge.filters.dedup.text.TextDedupSettings;
import dev.corpusforge.filters.dedup.text.TextFingerprints;
import dev.corpusforge.filters.quality.C4Quality;
import dev.corpusforge.filters.quality.GopherQuality;
import dev.corpusforge.filters.quality.GopherRepetition;
import com.google.common.hash.Hashing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * decompose from a raw corpus: the kernel docs as JSON lines with near duplicates planted by known
 * edits, plain, gzip and zstd; bare loops over them (decompress and parse, tokenise, MinHash
 * signatures, quality rules) on one thread; and the dedup's recall and precision, scored against
 * the true Jaccard similarity of 5-word shingles counted over every pair of documents.
 *
 * <p>Usage: java -cp CLASSPATH bench/RawCorpusBench.java make SRC_DIR WORK | bare WORK ROUNDS |
 * score WORK OUT [NGRAM [THRESHOLD]] | pairs WORK NGRAM THRESHOLD MIN_WORDS | rejects OUT_A OUT_B
 */
public class RawCorpusBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KINDS =
      List.of(
          "exact-case-spacing",
          "1%-scattered",
          "5%-scattered",
          "5%-one-run",
          "20%-scattered",
          "20%-one-run",
          "paragraphs-shuffled");
  private static final int PER_KIND = 60;

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "make" -> make(Path.of(args[1]), Path.of(args[2]));
      case "bare" -> bare(Path.of(args[1]), Integer.parseInt(args[2]));
      case "score" ->
          score(
              Path.of(args[1]),
              Path.of(args[2]),
              args.length > 3 ? Integer.parseInt(args[3]) : 5,
              args.length > 4 ? Double.parseDouble(args[4]) : 0.8);
      case "rejects" -> sameRejects(Path.of(args[1]), Path.of(args[2]));
      case "pairs" ->
          pairs(
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Double.parseDouble(args[3]),
              Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  // ---------------------------------------------------------------- the corpus

  static void make(Path src, Path work) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(src)) {
      files = walk.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
    }
    List<String[]> rows = new ArrayList<>(); // id, text
    for (Path f : files) {
      rows.add(new String[] {src.relativize(f).toString(), Files.readString(f)});
    }
    int docs = rows.size();
    // originals: documents of at least 300 words, spread over the corpus, one copy each
    List<Integer> long300 = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      if (DocumentText.words(rows.get(i)[1]).size() >= 300) {
        long300.add(i);
      }
    }
    Collections.shuffle(long300, new Random(21));
    Random random = new Random(22);
    StringBuilder planted = new StringBuilder("copy_row\toriginal_row\tkind\n");
    int next = 0;
    for (String kind : KINDS) {
      for (int k = 0; k < PER_KIND; k++) {
        int original = long300.get(next++);
        String text = rows.get(original)[1];
        String copy =
            switch (kind) {
              case "exact-case-spacing" -> text.toUpperCase(Locale.ROOT).replace(" ", "  ");
              case "1%-scattered" -> editWords(text, 0.01, random);
              case "5%-scattered" -> editWords(text, 0.05, random);
              case "5%-one-run" -> editRun(text, 0.05, random);
              case "20%-scattered" -> editWords(text, 0.20, random);
              case "20%-one-run" -> editRun(text, 0.20, random);
              default -> shuffleParagraphs(text, random);
            };
        rows.add(new String[] {"planted-" + kind + "-" + k, copy});
        // rows are numbered from 1 in the file
        planted.append(rows.size()).append('\t').append(original + 1).append('\t').append(kind).append('\n');
      }
    }
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    Files.writeString(work.resolve("planted.tsv"), planted);
    writeRows(rows, corpus.resolve("corpus.jsonl"));
    try (OutputStream z =
        new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(corpus.resolve("corpus.jsonl.zst")))) {
      Files.copy(corpus.resolve("corpus.jsonl"), z);
    }
    try (OutputStream z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(corpus.resolve("corpus.jsonl.gz")))) {
      Files.copy(corpus.resolve("corpus.jsonl"), z);
    }
    System.out.printf(Locale.ROOT, "corpus: %d kernel docs + %d planted copies (%d per kind: %s)%n",
        docs, rows.size() - docs, PER_KIND, KINDS);
    // ten copies of the kernel docs, each document 2 % of its words changed in each copy: 10 x
    // the documents, near-duplicate clusters of ten, for the LSH stage's memory
    List<String[]> x10 = new ArrayList<>();
    Random r10 = new Random(23);
    for (int c = 0; c < 10; c++) {
      for (int i = 0; i < docs; i++) {
        x10.add(new String[] {"x" + c + "-" + rows.get(i)[0], editWords(rows.get(i)[1], 0.02, r10)});
      }
    }
    Path x10File = Files.createDirectories(work.resolve("x10")).resolve("corpus.jsonl");
    writeRows(x10, x10File);
    try (OutputStream z = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(x10File.resolveSibling("corpus.jsonl.zst")))) {
      Files.copy(x10File, z);
    }
    Files.delete(x10File);
    System.out.printf(Locale.ROOT, "x10: %d documents%n", x10.size());
  }

  private static void writeRows(List<String[]> rows, Path file) throws Exception {
    try (Writer w = Files.newBufferedWriter(file)) {
      for (String[] r : rows) {
        w.write(JSON.writeValueAsString(Map.of("id", r[0], "text", r[1])));
        w.write('\n');
      }
    }
  }

  /** {@code fraction} of the words replaced by made-up ones, at random places. */
  static String editWords(String text, double fraction, Random random) {
    Matcher words = Pattern.compile("\\S+").matcher(text);
    StringBuilder out = new StringBuilder();
    while (words.find()) {
      words.appendReplacement(
          out, random.nextDouble() < fraction ? "zq" + Integer.toString(random.nextInt(1 << 30), 36) : "$0");
    }
    words.appendTail(out);
    return out.toString();
  }

  /** {@code fraction} of the words, in one run at a random place, replaced by made-up ones. */
  static String editRun(String text, double fraction, Random random) {
    List<int[]> spans = new ArrayList<>();
    Matcher words = Pattern.compile("\\S+").matcher(text);
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

  static String shuffleParagraphs(String text, Random random) {
    List<String> paragraphs = new ArrayList<>(List.of(text.split("\n\n")));
    Collections.shuffle(paragraphs, random);
    return String.join("\n\n", paragraphs);
  }

  // ---------------------------------------------------------------- bare loops

  static List<String> texts(Path jsonl) throws Exception {
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(jsonl)) {
      for (String line; (line = r.readLine()) != null; ) {
        texts.add(JSON.readTree(line).path("text").asText());
      }
    }
    return texts;
  }

  static void bare(Path work, int rounds) throws Exception {
    Path zst = work.resolve("corpus/corpus.jsonl.zst");
    DocumentTokenizer tokenizer = new DocumentTokenizer.Spec("cl100k_base", null).open();
    TextFingerprints fingerprints =
        new TextFingerprints(new TextDedupSettings(true, MinHash.Settings.DEFAULTS, TextDedupSettings.DEFAULT_MAX_CHARS));
    var repetition = new GopherRepetition(GopherRepetition.Settings.DEFAULTS);
    var gopher = new GopherQuality(GopherQuality.Settings.DEFAULTS);
    var c4 = new C4Quality(C4Quality.Settings.DEFAULTS);
    Map<String, double[]> best = new LinkedHashMap<>(); // loop → {docs/s, tokens/s}
    long tokensTotal = 0;
    int docs = 0;
    for (int round = 0; round <= rounds; round++) { // round 0 warms up
      // decompress and parse only
      long t0 = System.nanoTime();
      List<String> texts = new ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(zst)), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          texts.add(JSON.readTree(line).path("text").asText());
        }
      }
      double read = (System.nanoTime() - t0) / 1e9;
      docs = texts.size();
      long t1 = System.nanoTime();
      long tokens = 0;
      for (String t : texts) {
        tokens += tokenizer.encode(t).length;
      }
      double tokenise = (System.nanoTime() - t1) / 1e9;
      tokensTotal = tokens;
      long t2 = System.nanoTime();
      long sigs = 0;
      for (String t : texts) {
        sigs += fingerprints.minHash(t) == null ? 0 : 1;
        fingerprints.exact(t);
      }
      double minhash = (System.nanoTime() - t2) / 1e9;
      long t3 = System.nanoTime();
      int kept = 0;
      for (String t : texts) {
        if (repetition.check(t).kept() && gopher.check(t).kept() && c4.check(t).kept()) {
          kept++;
        }
      }
      double rules = (System.nanoTime() - t3) / 1e9;
      if (round == 0) {
        System.out.printf(Locale.ROOT, "%d documents, %d tokens (cl100k_base, end-of-text included), %d signatures, %d pass the quality rules%n",
            docs, tokens, sigs, kept);
        continue;
      }
      keep(best, "decompress (zstd) and parse JSON", docs / read, tokens / read);
      keep(best, "tokenise", docs / tokenise, tokens / tokenise);
      keep(best, "decompress, parse and tokenise", docs / (read + tokenise), tokens / (read + tokenise));
      keep(best, "exact hash + MinHash signature (5-grams, 112 hashes)", docs / minhash, tokens / minhash);
      keep(best, "quality rules (Gopher repetition, Gopher, C4)", docs / rules, tokens / rules);
      keep(best, "all of the above, one after another", docs / (read + tokenise + minhash + rules),
          tokens / (read + tokenise + minhash + rules));
    }
    System.out.println("bare loops on one thread (best of " + rounds + " rounds), per core:");
    best.forEach((name, v) -> System.out.printf(Locale.ROOT, "  %-55s %9.0f docs/s  %6.2f M tokens/s%n", name, v[0], v[1] / 1e6));
    tokenizer.close();
  }

  private static void keep(Map<String, double[]> best, String name, double docsPerS, double tokensPerS) {
    double[] b = best.computeIfAbsent(name, k -> new double[2]);
    if (docsPerS > b[0]) {
      b[0] = docsPerS;
      b[1] = tokensPerS;
    }
  }

  // ---------------------------------------------------------------- recall and precision

  static void score(Path work, Path out, int ngram, double threshold) throws Exception {
    Path corpus = work.resolve("corpus/corpus.jsonl");
    List<String> texts = texts(corpus);
    int n = texts.size();
    Map<String, Integer> rowBySampleId = new HashMap<>();
    for (int r = 1; r <= n; r++) {
      rowBySampleId.put(TableFiles.sampleId(corpus.toAbsolutePath() + "#" + r), r);
    }
    // every removed document joined to the one its reject names
    int[] parent = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      parent[i] = i;
    }
    Map<Integer, Integer> removedTo = new TreeMap<>();
    Map<Integer, String> removedHow = new HashMap<>();
    Pattern survivor = Pattern.compile("\\b([0-9a-f]{32})\\b");
    for (GenericRecord r : rejectRows(out)) {
      if (!"dedup".equals(r.get("stage").toString())) {
        continue;
      }
      Matcher m = survivor.matcher(r.get("detail").toString());
      if (!m.find()) {
        throw new IllegalStateException("no survivor in " + r);
      }
      int loser = rowBySampleId.get(r.get("sample_id").toString());
      int kept = rowBySampleId.get(m.group(1));
      removedTo.put(loser, kept);
      removedHow.put(loser, r.get("reason").toString());
      union(parent, loser, kept);
    }
    // shingle sets, as sorted 64-bit hashes
    long[][] shingles = new long[n + 1][];
    for (int r = 1; r <= n; r++) {
      shingles[r] = shingles(texts.get(r - 1), ngram);
    }
    // recall of the planted copies, by kind and by true Jaccard
    List<String> planted = Files.readAllLines(work.resolve("planted.tsv"));
    Map<String, int[]> byKind = new LinkedHashMap<>();
    Map<String, List<Double>> jaccardByKind = new LinkedHashMap<>();
    double[] bands = {0.9, 0.8, 0.7, 0.5, 0.0};
    int[][] byBand = new int[bands.length][2];
    for (String line : planted.subList(1, planted.size())) {
      String[] p = line.split("\t");
      int copy = Integer.parseInt(p[0]);
      int original = Integer.parseInt(p[1]);
      boolean found = find(parent, copy) == find(parent, original);
      int[] k = byKind.computeIfAbsent(p[2], x -> new int[2]);
      k[0] += found ? 1 : 0;
      k[1]++;
      double j = jaccard(shingles[copy], shingles[original]);
      jaccardByKind.computeIfAbsent(p[2], x -> new ArrayList<>()).add(j);
      for (int b = 0; b < bands.length; b++) {
        if (j >= bands[b]) {
          byBand[b][0] += found ? 1 : 0;
          byBand[b][1]++;
          break;
        }
      }
    }
    System.out.printf(Locale.ROOT, "== %s (true Jaccard over %d-word shingles)%n", out, ngram);
    System.out.println("recall of the planted copies by edit (found: in one cluster with its original):");
    System.out.println("| edit | copies | found | recall | true Jaccard with the original: min / median / max |");
    System.out.println("|---|---|---|---|---|");
    byKind.forEach((kind, k) -> {
      List<Double> js = new ArrayList<>(jaccardByKind.get(kind));
      Collections.sort(js);
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f / %.3f / %.3f |%n", kind, k[1], k[0], (double) k[0] / k[1],
          js.get(0), js.get(js.size() / 2), js.get(js.size() - 1));
    });
    System.out.println("recall of the planted copies by their true Jaccard:");
    for (int b = 0; b < bands.length; b++) {
      String range = b == 0 ? "≥ 0.9" : "[" + bands[b] + ", " + bands[b - 1] + ")";
      System.out.printf(Locale.ROOT, "  %-12s %4d copies, %4d found, recall %s%n", range, byBand[b][1], byBand[b][0],
          byBand[b][1] == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) byBand[b][0] / byBand[b][1]));
    }
    // precision: every removed document against the document its reject names
    int[] precision = new int[4]; // pairs, < threshold, < threshold - 0.1, < threshold - 0.3
    double lowest = 1;
    String lowestPair = "";
    for (Map.Entry<Integer, Integer> e : removedTo.entrySet()) {
      double j;
      if ("dup_exact".equals(removedHow.get(e.getKey()))) {
        j = DocumentText.normalised(texts.get(e.getKey() - 1)).equals(DocumentText.normalised(texts.get(e.getValue() - 1))) ? 1 : 0;
      } else {
        j = jaccard(shingles[e.getKey()], shingles[e.getValue()]);
      }
      precision[0]++;
      precision[1] += j < threshold ? 1 : 0;
      precision[2] += j < threshold - 0.1 ? 1 : 0;
      precision[3] += j < threshold - 0.3 ? 1 : 0;
      if (j < lowest) {
        lowest = j;
        lowestPair = e.getKey() + " → " + e.getValue() + " (" + removedHow.get(e.getKey()) + ")";
      }
    }
    // the removed documents that are not a planted copy or its original: the kernel docs' own
    // duplicates, named to be read
    java.util.Set<Integer> plantedRows = new java.util.HashSet<>();
    for (String line : planted.subList(1, planted.size())) {
      String[] p = line.split("\t");
      plantedRows.add(Integer.parseInt(p[0]));
      plantedRows.add(Integer.parseInt(p[1]));
    }
    List<String> ids = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(corpus)) {
      for (String line; (line = r.readLine()) != null; ) {
        ids.add(JSON.readTree(line).path("id").asText());
      }
    }
    List<String> own = new ArrayList<>();
    for (Map.Entry<Integer, Integer> e : removedTo.entrySet()) {
      if (!plantedRows.contains(e.getKey()) || !plantedRows.contains(e.getValue())) {
        own.add(String.format(Locale.ROOT, "%s: %s → kept %s (true Jaccard %.3f)", removedHow.get(e.getKey()),
            ids.get(e.getKey() - 1), ids.get(e.getValue() - 1), jaccard(shingles[e.getKey()], shingles[e.getValue()])));
      }
    }
    long exact = removedHow.values().stream().filter("dup_exact"::equals).count();
    System.out.printf(Locale.ROOT,
        "precision: %d removed documents (%d dup_exact, %d dup_near), each checked against its survivor by brute force: %d below true Jaccard %.2f, %d below %.2f, %d below %.2f; lowest %.3f (rows %s)%n",
        precision[0], exact, precision[0] - exact, precision[1], threshold, precision[2], threshold - 0.1, precision[3], threshold - 0.3, lowest, lowestPair);
    System.out.println(own.size() + " removed documents are not planted copies (the kernel docs' own duplicates):");
    own.forEach(o -> System.out.println("  " + o));
    // every pair of documents at true Jaccard ≥ the threshold (a pair whose size ratio is below it
    // cannot be)
    Integer[] bySize = new Integer[n];
    for (int i = 0; i < n; i++) {
      bySize[i] = i + 1;
    }
    Arrays.sort(bySize, (a, b) -> Integer.compare(shingles[a].length, shingles[b].length));
    long compared = 0;
    int truePairs = 0;
    int truePairsTogether = 0;
    List<String> missed = new ArrayList<>();
    for (int x = 0; x < n; x++) {
      long[] a = shingles[bySize[x]];
      for (int y = x + 1; y < n && shingles[bySize[y]].length * threshold <= a.length; y++) {
        compared++;
        if (jaccard(a, shingles[bySize[y]]) >= threshold) {
          truePairs++;
          if (find(parent, bySize[x]) == find(parent, bySize[y])) {
            truePairsTogether++;
          } else if (missed.size() < 5) {
            missed.add(bySize[x] + "~" + bySize[y]);
          }
        }
      }
    }
    System.out.printf(Locale.ROOT,
        "all pairs: %d documents, %d pairs within the size ratio compared exactly; %d pairs at true Jaccard ≥ %.2f, %d of them in one cluster (recall %.3f)%s%n",
        n, compared, truePairs, threshold, truePairsTogether, truePairs == 0 ? 0 : (double) truePairsTogether / truePairs,
        missed.isEmpty() ? "" : "; missed e.g. rows " + missed);
  }

  /**
   * The pairs of documents of at least {@code minWords} words at true Jaccard ≥ {@code threshold}
   * that are not a planted copy and its original: what a setting would remove beyond the planted
   * edits, with examples to read.
   */
  static void pairs(Path work, int ngram, double threshold, int minWords) throws Exception {
    List<String> texts = texts(work.resolve("corpus/corpus.jsonl"));
    List<String> ids = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(work.resolve("corpus/corpus.jsonl"))) {
      for (String line; (line = r.readLine()) != null; ) {
        ids.add(JSON.readTree(line).path("id").asText());
      }
    }
    java.util.Set<String> plantedPairs = new java.util.HashSet<>();
    List<String> planted = Files.readAllLines(work.resolve("planted.tsv"));
    for (String line : planted.subList(1, planted.size())) {
      String[] p = line.split("\t");
      plantedPairs.add(p[0] + "~" + p[1]);
      plantedPairs.add(p[1] + "~" + p[0]);
    }
    List<Integer> rows = new ArrayList<>();
    long[][] shingles = new long[texts.size() + 1][];
    for (int r = 1; r <= texts.size(); r++) {
      if (DocumentText.words(texts.get(r - 1)).size() >= minWords) {
        rows.add(r);
        shingles[r] = shingles(texts.get(r - 1), ngram);
      }
    }
    rows.sort((a, b) -> Integer.compare(shingles[a].length, shingles[b].length));
    int others = 0;
    List<String> examples = new ArrayList<>();
    for (int x = 0; x < rows.size(); x++) {
      long[] a = shingles[rows.get(x)];
      for (int y = x + 1; y < rows.size() && shingles[rows.get(y)].length * threshold <= a.length; y++) {
        double j = jaccard(a, shingles[rows.get(y)]);
        if (j >= threshold && !plantedPairs.contains(rows.get(x) + "~" + rows.get(y))) {
          others++;
          if (examples.size() < 30) {
            examples.add(String.format(Locale.ROOT, "%.3f %s ~ %s", j, ids.get(rows.get(x) - 1), ids.get(rows.get(y) - 1)));
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d documents of ≥ %d words; %d pairs at true Jaccard ≥ %.2f over %d-word shingles besides the planted ones%n",
        rows.size(), minWords, others, threshold, ngram);
    examples.forEach(e -> System.out.println("  " + e));
  }

  /**
   * Whether two outputs of the same corpus, compressed differently, reject the same documents for
   * the same reasons: every column compared, the files' compression extension aside (a reject's
   * source names the file read, and a duplicate's detail its survivor's).
   */
  static void sameRejects(Path a, Path b) throws Exception {
    Map<String, String> x = rejects(a);
    Map<String, String> y = rejects(b);
    int differ = 0;
    for (String id : x.keySet()) {
      if (!x.get(id).equals(y.get(id))) {
        if (differ++ < 3) {
          System.out.println("  differs: " + x.get(id) + " | " + y.get(id));
        }
      }
    }
    differ += (int) y.keySet().stream().filter(id -> !x.containsKey(id)).count();
    System.out.printf(Locale.ROOT, "rejects: %d and %d rows, %s%n", x.size(), y.size(),
        differ == 0 ? "the same (sample id, source, stage, reason, detail), compression extensions aside" : differ + " differ");
  }

  private static Map<String, String> rejects(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (GenericRecord r : rejectRows(out)) {
      String row = r.get("source") + "|" + r.get("stage") + "|" + r.get("reason") + "|" + r.get("detail");
      rows.put(r.get("sample_id").toString(), row.replaceAll("\\.jsonl\\.(gz|zst)", ".jsonl"));
    }
    return rows;
  }

  /** Every reject row of an output, read with parquet-avro (not the pipeline's reader). */
  private static List<GenericRecord> rejectRows(Path out) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    for (Path f : parquetFiles(out.resolve("rejects"))) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toString()), new org.apache.hadoop.conf.Configuration()))
              .build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          rows.add(r);
        }
      }
    }
    return rows;
  }

  private static List<Path> parquetFiles(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static void union(int[] parent, int a, int b) {
    parent[find(parent, a)] = find(parent, b);
  }

  /** The document's distinct n-word shingles (as the dedup makes them), hashed, sorted. */
  static long[] shingles(String text, int n) {
    List<String> words = DocumentText.words(text);
    if (words.isEmpty()) {
      return new long[0];
    }
    int count = Math.max(1, words.size() - n + 1);
    long[] out = new long[count];
    for (int s = 0; s < count; s++) {
      out[s] = Hashing.murmur3_128().hashString(String.join(" ", words.subList(s, Math.min(words.size(), s + n))), StandardCharsets.UTF_8).asLong();
    }
    return Arrays.stream(out).sorted().distinct().toArray();
  }

  static double jaccard(long[] a, long[] b) {
    int i = 0;
    int j = 0;
    int both = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        both++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    int either = a.length + b.length - both;
    return either == 0 ? 0 : (double) both / either;
  }
}
