package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.annotators.decompose.DecomposeRule;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.read.ReadLimits;
import dev.corpusforge.filters.dedup.text.TextDedupSettings;
import dev.corpusforge.filters.quality.QualityRules;
import dev.corpusforge.pipelines.run.ReadsFiles;
import java.io.Serializable;
import java.util.List;

/**
 * Every setting of a {@code decompose} run; echoed in the manifest.
 *
 * @param inputs JSON-lines or Parquet files, or folders of plain-text files; local or s3://
 * @param columns text and id columns of rows, extensions of plain-text documents
 * @param tokenizer a bundled BPE encoding or a tokenizer.json, and the end-of-text id
 * @param rule the split (CORPORA.md §5)
 * @param segmentChars characters of a text file tokenised at a time (bounded memory for huge files)
 * @param ddShardTokens tokens per shard of the D_k export (released: 2^20); 0 writes no D_k export
 * @param concatChunkLength 0 to decompose; otherwise the baseline mode: concatenate and cut into
 *     sequences of this many tokens (+1 with the released layout)
 * @param limits what one input file may cost (decompressed bytes, bytes per JSON line)
 * @param quality the quality rules applied before dedup ({@code --quality})
 * @param decontaminate evaluation files whose n-grams no kept document may share (empty: none)
 * @param decontNgram the n of those n-grams (13, GPT-3's)
 * @param dedup the exact and near duplicates removed before tokenising
 * @param removedTokens whether the documents those steps remove are tokenised, to report the tokens
 *     each step removed ({@code --no-removed-tokens}: documents only)
 */
public record DecomposeConfig(
    List<String> inputs,
    String output,
    TextDocumentSource.Columns columns,
    DocumentTokenizer.Spec tokenizer,
    DecomposeRule rule,
    int segmentChars,
    long ddShardTokens,
    int concatChunkLength,
    ReadLimits limits,
    QualityRules quality,
    List<String> decontaminate,
    int decontNgram,
    TextDedupSettings dedup,
    boolean removedTokens)
    implements Serializable, ReadsFiles {
  /** Characters of a text file tokenised at a time. */
  public static final int DEFAULT_SEGMENT_CHARS = 1 << 20;

  /** The released D_k shard size: about 2^20 tokens. */
  public static final long DEFAULT_DD_SHARD_TOKENS = 1 << 20;

  /** The evaluation files of {@code --decontaminate}: a resumed run refuses changed ones. */
  @Override
  public List<String> filesRead() {
    return decontaminate;
  }

  /** What the steps before tokenising remove, counted as {@link #removedTokens} asks. */
  RemovedTokens removed() {
    return new RemovedTokens(
        removedTokens ? tokenizer : null, dedup.maxChars(), limits.maxDecompressedBytes());
  }

  public DecomposeConfig {
    inputs = List.copyOf(inputs);
    decontaminate = List.copyOf(decontaminate);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("decompose needs at least one --input");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("decompose needs --output");
    }
    if (concatChunkLength < 0) {
      throw new IllegalArgumentException("--seq-len must be ≥ 1");
    }
    if (ddShardTokens < 0) {
      throw new IllegalArgumentException("--dd-shard-tokens must be ≥ 0");
    }
    if (segmentChars < 1024) {
      throw new IllegalArgumentException("--segment-chars must be ≥ 1024");
    }
  }
}
