import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.pipelines.cli.Forge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Tokens per second: the whole decompose pipeline (embedded Flink, default parallelism: read,
 * tokenise, split, Parquet and D_k tar outputs, manifest, report) against a bare loop that reads
 * the same files and tokenises them with the same tokenizer on one thread, in one JVM. Also times
 * a run on a one-line document, the fixed cost of any run, so the per-token rate of the pipeline
 * beyond it can be read off. The ceilings: the fixed cost plus the bare loop on every core at once,
 * and the same with the writing every run must also do (each token into a Parquet row and into a
 * D_k text member, as the outputs hold them).
 *
 * <p>Usage: java -cp CLASSPATH bench/DecomposeBench.java WORK_DIR ROUNDS DOC_DIR...
 */
public class DecomposeBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path tiny = work.resolve("tiny");
    Files.createDirectories(tiny);
    Files.writeString(tiny.resolve("one.txt"), "A document of one line.\n");
    // the first run in this JVM also compiles the platform's code: not the fixed cost of the
    // warm runs it is subtracted from below
    pipeline(tiny, work);
    double fixed = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      fixed = Math.min(fixed, pipeline(tiny, work));
    }
    System.out.printf(Locale.ROOT, "fixed cost of a run (one-line document): %.1f s%n", fixed);
    for (int d = 2; d < args.length; d++) {
      Path docs = Path.of(args[d]);
      List<Path> files;
      try (Stream<Path> walk = Files.walk(docs)) {
        files = walk.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
      }
      System.out.printf(Locale.ROOT, "== %s: %d documents, %d bytes%n", docs, files.size(), files.stream().mapToLong(f -> f.toFile().length()).sum());
      // one warm-up pass each over these files: the bare loop and the pipeline alike
      bare(files, new long[1]);
      pipeline(docs, work);
      double bestBare = 0;
      double bestSeconds = Double.MAX_VALUE;
      long tokens = 0;
      for (int r = 1; r <= rounds; r++) {
        long[] counted = new long[1];
        double b = bare(files, counted);
        double seconds = pipeline(docs, work);
        // tokens_in from the manifest: the same count as the bare loop's
        String manifest = Files.readString(work.resolve("out/manifest.json"));
        tokens = Long.parseLong(manifest.replaceAll("(?s).*\"tokens_in\" : (\\d+).*", "$1"));
        System.out.printf(Locale.ROOT, "round %d: bare %.2f M tokens/s (%d tokens), pipeline %.2f M tokens/s (%d tokens, %.1f s), ratio %.2f%n",
            r, b / 1e6, counted[0], tokens / seconds / 1e6, tokens, seconds, tokens / seconds / b);
        bestBare = Math.max(bestBare, b);
        bestSeconds = Math.min(bestSeconds, seconds);
      }
      double p = tokens / bestSeconds;
      double beyondFixed = tokens / Math.max(bestSeconds - fixed, 1e-9);
      System.out.printf(Locale.ROOT, "best: bare %.2f M tokens/s, pipeline %.2f M tokens/s, ratio %.2f; beyond the fixed cost %.2f M tokens/s, ratio %.2f%n",
          bestBare / 1e6, p / 1e6, p / bestBare, beyondFixed / 1e6, beyondFixed / bestBare);
      // a run that did nothing but the fixed cost and the bare loop's tokenising on every core at
      // once would reach this ratio; the loop on that many threads, measured, since two threads
      // on two cores do not tokenise twice as fast as one (shared caches, the collector, the JIT)
      int cores = Runtime.getRuntime().availableProcessors();
      double onThreads = 0;
      for (int r = 0; r < rounds; r++) {
        onThreads = Math.max(onThreads, onThreads(files, cores, null, false));
      }
      double ceiling = (tokens / bestBare) / (fixed + tokens / onThreads);
      System.out.printf(Locale.ROOT, "bare loop on %d threads at once: %.2f M tokens/s (%.2f x one thread)%n", cores, onThreads / 1e6, onThreads / bestBare);
      System.out.printf(Locale.ROOT, "ceiling: the fixed cost plus the bare loop on %d threads: ratio %.2f (%.2f if %d threads were %d times one)%n",
          cores, ceiling, (tokens / bestBare) / (fixed + tokens / bestBare / cores), cores, cores);
      // every run also writes each token twice: a Parquet row and a D_k text member
      double writing = 0;
      for (int r = 0; r < rounds; r++) {
        writing = Math.max(writing, onThreads(files, cores, work.resolve("bare-outputs"), true));
      }
      System.out.printf(Locale.ROOT, "bare loop writing the rows and the D_k text too, on %d threads: %.2f M tokens/s%n", cores, writing / 1e6);
      System.out.printf(Locale.ROOT, "ceiling with the outputs: the fixed cost plus that loop: ratio %.2f%n",
          (tokens / bestBare) / (fixed + tokens / writing));
    }
  }

  /** Seconds for one {@code forge run decompose} over {@code docs}. */
  static double pipeline(Path docs, Path work) {
    long start = System.nanoTime();
    int code = Forge.execute("run", "decompose", "--input", docs.toString(), "--output", work.resolve("out").toString(), "--overwrite",
        "--progress-seconds", "0");
    if (code != 0) {
      throw new IllegalStateException("decompose failed: " + code);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The bare loop on {@code threads} threads at once, each every n-th file, writing what the
   * outputs hold into {@code dir} when {@code write}; tokens per second.
   */
  static double onThreads(List<Path> files, int threads, Path dir, boolean write) throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      var parts = new java.util.ArrayList<java.util.concurrent.Future<Long>>();
      for (int t = 0; t < threads; t++) {
        List<Path> share = new java.util.ArrayList<>();
        for (int i = t; i < files.size(); i += threads) {
          share.add(files.get(i));
        }
        Path out = write ? dir.resolve("thread-" + t) : null;
        parts.add(pool.submit(() -> {
          long[] n = new long[1];
          if (write) {
            bareWriting(share, n, out);
          } else {
            bare(share, n);
          }
          return n[0];
        }));
      }
      long tokens = 0;
      for (var part : parts) {
        tokens += part.get();
      }
      return tokens / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  static final Schema ROW =
      SchemaBuilder.record("Row").fields().name("tokens").type().array().items().intType().noDefault().endRecord();

  /**
   * As {@link #bare}, and each document's tokens written as the outputs hold them: a Parquet row
   * (Snappy, 32 MB row groups, as the data files) and a D_k text member ({@code [id, id, …]}).
   */
  static void bareWriting(List<Path> files, long[] tokens, Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("rows.parquet"));
    try (DocumentTokenizer tokenizer = new DocumentTokenizer.Spec("cl100k_base", null).open();
        ParquetWriter<GenericRecord> rows =
            AvroParquetWriter.<GenericRecord>builder(new org.apache.hadoop.fs.Path(dir.resolve("rows.parquet").toUri()))
                .withSchema(ROW)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(32L << 20)
                .build();
        java.io.OutputStream text = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("dk.txt")))) {
      long n = 0;
      for (Path f : files) {
        String doc = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        if (doc.isBlank()) {
          continue;
        }
        int[] ids = tokenizer.encode(doc);
        n += ids.length;
        GenericRecord row = new GenericData.Record(ROW);
        // the int[] itself, as the pipeline writes it (Parquet's Avro writer takes primitive arrays)
        row.put("tokens", ids);
        rows.write(row);
        text.write(dev.corpusforge.pipelines.decompose.TokenText.of(ids));
      }
      tokens[0] = n;
    }
  }

  /** Read each file and tokenise it (end-of-text appended), one thread; tokens per second. */
  static double bare(List<Path> files, long[] tokens) throws Exception {
    try (DocumentTokenizer tokenizer = new DocumentTokenizer.Spec("cl100k_base", null).open()) {
      long start = System.nanoTime();
      long n = 0;
      for (Path f : files) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        if (!text.isBlank()) {
          n += tokenizer.encode(text).length;
        }
      }
      tokens[0] = n;
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }
}
