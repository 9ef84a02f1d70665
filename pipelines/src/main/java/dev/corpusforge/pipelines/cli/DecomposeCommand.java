package dev.corpusforge.pipelines.cli;

import dev.corpusforge.annotators.decompose.DecomposeRule;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.read.Decompression;
import dev.corpusforge.core.read.ReadLimits;
import dev.corpusforge.filters.dedup.text.MinHash;
import dev.corpusforge.filters.dedup.text.TextDedupSettings;
import dev.corpusforge.pipelines.decompose.DecomposeConfig;
import dev.corpusforge.pipelines.decompose.DecomposePipeline;
import dev.corpusforge.pipelines.decompose.TextDocumentSource;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.schemas.DecomposedSequence;
import dev.corpusforge.schemas.Reject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forge run decompose}: Dataset-Decomposition length buckets of token sequences. */
@Command(
    name = "decompose",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Tokenise documents (JSON lines, Parquet, folders of text files) and split each into power-of-two length buckets (Dataset Decomposition) → data/len=<2^k>/ Parquet.")
public final class DecomposeCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Mixin QualityOptions quality;

  @Option(
      names = "--input",
      split = ",",
      paramLabel = "URI",
      description =
          "Input: .jsonl/.json/.ndjson or .parquet files (globs allowed), or folders of plain-text files; local or s3://. Repeatable.")
  List<String> inputs;

  @Option(names = "--output", paramLabel = "URI", description = "Output folder, local or s3://.")
  String output;

  @Option(
      names = "--text-col",
      defaultValue = "text",
      description = "Text field of rows. Default: ${DEFAULT-VALUE}.")
  String textColumn;

  @Option(
      names = "--id-col",
      description = "Id field of rows (default: the row's location, file#row).")
  String idColumn;

  @Option(
      names = "--text-extensions",
      split = ",",
      defaultValue = "txt,text,md,rst",
      description =
          "Extensions of the plain-text documents in input folders; other files are unsupported_file rejects. Default: ${DEFAULT-VALUE}.")
  List<String> textExtensions;

  @Option(
      names = "--tokenizer",
      defaultValue = "cl100k_base",
      description =
          "A BPE encoding bundled with JTokkit (cl100k_base, o200k_base, p50k_base, r50k_base) or the path of a Hugging Face tokenizer.json. Default: ${DEFAULT-VALUE}.")
  String tokenizer;

  @Option(
      names = "--eot-id",
      description = "End-of-text id appended to every document (default: the tokenizer's own).")
  Integer eotId;

  @Option(
      names = "--min-log2",
      defaultValue = "" + DecomposeRule.DEFAULT_MIN_LOG2,
      description =
          "Smallest bucket: chunks of 2^k (+1) tokens; shorter remainders are dropped. Default: ${DEFAULT-VALUE}.")
  int minLog2;

  @Option(
      names = "--max-log2",
      defaultValue = "" + DecomposeRule.DEFAULT_MAX_LOG2,
      description = "Largest bucket. Default: ${DEFAULT-VALUE}.")
  int maxLog2;

  @Option(
      names = "--split",
      defaultValue = "released",
      description =
          "released (beyond 2^max, the bucket is drawn ∝ 2^(max−k), seeded per document, as the released code does) or largest-first (the paper's prose). Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(
      names = "--no-plus-one",
      description =
          "Chunks of exactly 2^k tokens instead of the released 2^k + 1 (the +1 is the shifted target).")
  boolean noPlusOne;

  @Option(
      names = "--seed",
      defaultValue = "" + DecomposeRule.DEFAULT_SEED,
      description =
          "Run seed, mixed with each document's id for the released split. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--segment-chars",
      defaultValue = "" + DecomposeConfig.DEFAULT_SEGMENT_CHARS,
      description =
          "Characters of a text file tokenised at a time, cut after a line break: memory stays bounded for huge files. Default: ${DEFAULT-VALUE}.")
  int segmentChars;

  @Option(
      names = "--decontaminate",
      split = ",",
      paramLabel = "FILE",
      description =
          "Evaluation files (JSON lines: each row's strings; any other file: its text; local or s3://, compressed or not): a document sharing a word n-gram with them is rejected contaminated.")
  List<String> decontaminate = List.of();

  @Option(
      names = "--decont-ngram",
      defaultValue = "13",
      description = "Words per n-gram of --decontaminate. Default: ${DEFAULT-VALUE}.")
  int decontNgram;

  @Option(
      names = "--exact-dedup",
      description =
          "Remove exact duplicate documents: the same text once normalised (NFKC, lower case, white space collapsed); the smallest sample id survives, the others are dup_exact.")
  boolean exactDedup;

  @Option(
      names = "--minhash",
      description =
          "Remove near-duplicate documents by MinHash-LSH (DataTrove/FineWeb): candidates from shared bands, verified by estimated Jaccard, clusters by connected components; the smallest sample id of a cluster survives, the others are dup_near.")
  boolean minhash;

  @Option(
      names = "--minhash-ngram",
      defaultValue = "5",
      description = "Words per shingle. Default: ${DEFAULT-VALUE}.")
  int minhashNgram;

  @Option(
      names = "--minhash-perm",
      defaultValue = "112",
      description = "Signature length (hash functions). Default: ${DEFAULT-VALUE}.")
  int minhashPerm;

  @Option(
      names = "--minhash-bands",
      defaultValue = "14",
      description = "LSH bands (--minhash-perm / bands rows each). Default: ${DEFAULT-VALUE}.")
  int minhashBands;

  @Option(
      names = "--minhash-threshold",
      defaultValue = "0.8",
      description =
          "Estimated Jaccard similarity at or above which a candidate pair is a duplicate. Default: ${DEFAULT-VALUE}.")
  double minhashThreshold;

  @Option(
      names = "--minhash-seed",
      defaultValue = "1",
      description = "Seed of the hash functions. Default: ${DEFAULT-VALUE}.")
  long minhashSeed;

  @Option(
      names = "--no-removed-tokens",
      description =
          "Count only the documents that --quality, --decontaminate and the dedup remove, not their tokens (which costs tokenising them).")
  boolean noRemovedTokens;

  @Option(
      names = "--max-decompressed-bytes",
      paramLabel = "N",
      defaultValue = "" + Decompression.DEFAULT_MAX_BYTES,
      description =
          "Bytes a compressed input (.gz, .zst, .bz2) may decompress to; past them the rest of the file is malformed_file (decompression bombs). Default: ${DEFAULT-VALUE} (64 GiB).")
  long maxDecompressedBytes;

  @Option(
      names = "--max-row-bytes",
      paramLabel = "N",
      defaultValue = "268435456",
      description =
          "Bytes of one JSON line at most; a longer one is row_too_large, skipped without being held in memory. Default: ${DEFAULT-VALUE} (256 MiB).")
  int maxRowBytes;

  @Option(
      names = "--dd-shard-tokens",
      defaultValue = "" + DecomposeConfig.DEFAULT_DD_SHARD_TOKENS,
      description =
          "Tokens per shard of exports/dd/D_<k>/ (min(tokens/2^k, 65536) sequences; the last shard of a bucket may be partial and is marked so); 0 writes no D_k export. Default: ${DEFAULT-VALUE}.")
  long ddShardTokens;

  @Option(
      names = "--mode",
      defaultValue = "decompose",
      description =
          "decompose, or concat-chunk: the classic baseline (all documents concatenated, cut into --seq-len sequences) from the same input, counting sequences that cross a document boundary. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--seq-len",
      description =
          "Sequence length of --mode concat-chunk (+1 with the released layout; default 2^max-log2).")
  Integer seqLen;

  DecomposeConfig config() {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "decompose needs --input (or input: in the --config file)");
    }
    Set<String> extensions = new LinkedHashSet<>();
    textExtensions.forEach(
        e -> extensions.add(e.strip().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")));
    return new DecomposeConfig(
        inputs,
        output,
        new TextDocumentSource.Columns(textColumn, idColumn, extensions),
        new DocumentTokenizer.Spec(tokenizer, eotId),
        new DecomposeRule(minLog2, maxLog2, DecomposeRule.Split.parse(split), !noPlusOne, seed),
        segmentChars,
        ddShardTokens,
        concatChunkLength(),
        new ReadLimits(maxDecompressedBytes, maxRowBytes),
        quality.rules(),
        decontaminate,
        decontNgram,
        new TextDedupSettings(
            exactDedup,
            minhash
                ? new MinHash.Settings(
                    minhashNgram, minhashPerm, minhashBands, minhashThreshold, minhashSeed)
                : null,
            TextDedupSettings.DEFAULT_MAX_CHARS),
        !noRemovedTokens);
  }

  private int concatChunkLength() {
    return switch (mode.strip().toLowerCase(Locale.ROOT)) {
      case "decompose" -> {
        if (seqLen != null) {
          throw new IllegalArgumentException("--seq-len is for --mode concat-chunk");
        }
        yield 0;
      }
      case "concat-chunk" -> seqLen != null ? seqLen : 1 << maxLog2;
      default ->
          throw new IllegalArgumentException(
              "--mode must be decompose or concat-chunk, not '" + mode + "'");
    };
  }

  static RunDriver.Job job(DecomposeConfig config) {
    return new RunDriver.Job(
        DecomposePipeline.NAME,
        config.inputs(),
        config.output(),
        config,
        Map.of("data", DecomposedSequence.getClassSchema(), "reject", Reject.getClassSchema()),
        p -> DecomposePipeline.build(p, config));
  }

  @Override
  public Integer call() throws Exception {
    DecomposeConfig config = config();
    // a tokenizer that cannot be opened is a usage error before any work
    try (DocumentTokenizer t = config.tokenizer().open()) {
      t.endOfText();
    }
    return Forge.drive(job(config), run.settings());
  }
}
