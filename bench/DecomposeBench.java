import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.pipelines.cli.Forge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Tokens per second: the whole decompose pipeline (embedded Flink, parallelism 1: read, tokenise,
 * split, Parquet and D_k tar outputs, manifest) against a bare loop that reads the same files and
 * tokenises them with the same tokenizer, in one JVM.
 *
 * <p>Usage: java -cp CLASSPATH bench/DecomposeBench.java DOC_DIR WORK_DIR ROUNDS
 */
public class DecomposeBench {
  public static void main(String[] args) throws Exception {
    Path docs = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(docs)) {
      files = walk.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
    }
    System.out.printf(Locale.ROOT, "%d documents, %d bytes%n", files.size(), files.stream().mapToLong(f -> f.toFile().length()).sum());
    bare(files);
    double bestBare = 0;
    double bestPipeline = 0;
    for (int r = 1; r <= rounds; r++) {
      long[] counted = new long[1];
      double b = bare(files, counted);
      long start = System.nanoTime();
      int code = Forge.execute("run", "decompose", "--input", docs.toString(), "--output", work.resolve("out").toString(), "--overwrite",
          "--parallelism", "1", "--progress-seconds", "0");
      double seconds = (System.nanoTime() - start) / 1e9;
      if (code != 0) {
        throw new IllegalStateException("decompose failed: " + code);
      }
      // tokens_in from the manifest: the same count as the bare loop's
      String manifest = Files.readString(work.resolve("out/manifest.json"));
      long tokens = Long.parseLong(manifest.replaceAll("(?s).*\"tokens_in\" : (\\d+).*", "$1"));
      double p = tokens / seconds;
      System.out.printf(Locale.ROOT, "round %d: bare %.0f tokens/s (%d tokens), pipeline %.0f tokens/s (%d tokens, %.1f s), ratio %.2f%n", r, b, counted[0], p, tokens, seconds, p / b);
      bestBare = Math.max(bestBare, b);
      bestPipeline = Math.max(bestPipeline, p);
    }
    System.out.printf(Locale.ROOT, "best: bare %.0f tokens/s, pipeline %.0f tokens/s, ratio %.2f%n", bestBare, bestPipeline, bestPipeline / bestBare);
  }

  static double bare(List<Path> files) throws Exception {
    return bare(files, new long[1]);
  }

  /** Read each file and tokenise it (end-of-text appended), one thread. */
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
