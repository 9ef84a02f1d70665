package dev.corpusforge.pipelines.imagetext;

import dev.corpusforge.filters.blocklist.BlocklistFile;
import dev.corpusforge.filters.dedup.semantic.SemDedupConfig;
import dev.corpusforge.filters.image.ImageOutput;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.filters.language.LanguageRule;
import dev.corpusforge.filters.text.TextRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import dev.corpusforge.pipelines.io.ReadLimits;
import dev.corpusforge.pipelines.io.UrlListSource;
import dev.corpusforge.pipelines.run.UsesModels;
import dev.corpusforge.scorers.beam.AlignmentRule;
import dev.corpusforge.scorers.beam.ScoringConfig;
import java.io.Serializable;
import java.text.Normalizer;
import java.util.List;

/**
 * Every setting of an {@code image-text} run; all of it is echoed in the manifest.
 *
 * @param inputs input locations (folders, tar shards or patterns, URL list files), local or s3://
 * @param inputFormat {@code folder}, {@code webdataset}, {@code urls}, or {@code auto} (by
 *     extension)
 * @param captionMaxCount FILIP: drop pairs whose caption occurs more than this many times (≤ 0:
 *     off)
 * @param nearDupRadius Hamming radius on the 64-bit perceptual hash (&lt; 0: near dedup off)
 * @param exactDedup drop images whose decoded pixels equal another's
 * @param wdsShardSize samples per WebDataset shard (about; shards are filled by hash)
 * @param wdsShardsMultipleOf the number of WebDataset shards is rounded up to a multiple of this
 *     (the ranks of a distributed training job), see {@link WebDatasetExport#shards}
 * @param previewCount kept samples shown in the report
 * @param scoring how pairs are scored by a dual encoder; null when the run does not score
 * @param alignment which scored pairs are kept
 * @param embeddingsPartSize pairs per file of the embeddings export (with {@code --embeddings})
 * @param columns the input columns carried, filtered on and exported as DataComp uids
 * @param blocklistUrls URLs and domains never fetched ({@code blocklisted_url}); null for none
 * @param blocklistHashes MD5 and SHA-256 digests of raw bytes dropped before decoding ({@code
 *     blocklisted_hash}); null for none
 * @param semanticDedup semantic dedup on the scoring pass's image embeddings, after the alignment
 *     filter; null when off
 */
public record ImageTextConfig(
    List<String> inputs,
    String inputFormat,
    String output,
    ReadLimits readLimits,
    UrlListSource.Columns urlColumns,
    FetchConfig fetch,
    Normalizer.Form unicodeForm,
    TextRules textRules,
    LanguageRule languageRule,
    ImageRules imageRules,
    ImageOutput imageOutput,
    long captionMaxCount,
    boolean exactDedup,
    int nearDupRadius,
    int wdsShardSize,
    int wdsShardsMultipleOf,
    int previewCount,
    ScoringConfig scoring,
    AlignmentRule alignment,
    int embeddingsPartSize,
    ColumnRules columns,
    BlocklistFile blocklistUrls,
    BlocklistFile blocklistHashes,
    SemDedupConfig semanticDedup)
    implements Serializable, UsesModels {
  public static final long DEFAULT_CAPTION_MAX_COUNT = 10;
  public static final int DEFAULT_NEAR_DUP_RADIUS = 4;
  public static final int DEFAULT_WDS_SHARD_SIZE = 10_000;
  public static final int DEFAULT_EMBEDDINGS_PART_SIZE = 20_000;

  public ImageTextConfig {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("image-text needs at least one --input");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("image-text needs --output");
    }
    if (wdsShardSize < 1) {
      throw new IllegalArgumentException("--wds-shard-size must be ≥ 1");
    }
    if (embeddingsPartSize < 1) {
      throw new IllegalArgumentException("--embeddings-part-size must be ≥ 1");
    }
    if (wdsShardsMultipleOf < 1) {
      throw new IllegalArgumentException("--wds-shards-multiple-of must be ≥ 1");
    }
    if (alignment != null && alignment.filters() && scoring == null) {
      throw new IllegalArgumentException(
          "an alignment threshold needs a scoring model (--score-model)");
    }
    if (semanticDedup != null && (scoring == null || !scoring.embeddings())) {
      throw new IllegalArgumentException(
          "--semdedup-eps needs --score-model and --embeddings: it clusters the scoring pass's"
              + " image embeddings");
    }
    if (nearDupRadius > 30) {
      throw new IllegalArgumentException("--near-dup-radius must be ≤ 30");
    }
  }

  @Override
  public List<String> modelBundles() {
    return scoring == null ? List.of() : List.of(scoring.bundle());
  }
}
