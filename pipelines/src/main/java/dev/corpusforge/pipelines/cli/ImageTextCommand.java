package dev.corpusforge.pipelines.cli;

import dev.corpusforge.filters.blocklist.HashBlocklist;
import dev.corpusforge.filters.blocklist.UrlBlocklist;
import dev.corpusforge.filters.dedup.semantic.SemDedupConfig;
import dev.corpusforge.filters.image.ImageOutput;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.filters.language.LanguageIdentifier;
import dev.corpusforge.filters.language.LanguageRule;
import dev.corpusforge.filters.text.TextRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import dev.corpusforge.pipelines.imagetext.ColumnRules;
import dev.corpusforge.pipelines.imagetext.ImageTextConfig;
import dev.corpusforge.pipelines.imagetext.ImageTextPipeline;
import dev.corpusforge.pipelines.io.ReadLimits;
import dev.corpusforge.pipelines.io.UrlListSource;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.ScoreKind;
import dev.corpusforge.scorers.beam.AlignmentRule;
import dev.corpusforge.scorers.beam.ScoringConfig;
import java.io.IOException;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forge run image-text}: FILIP-style image-caption pairs. */
@Command(
    name = "image-text",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Build FILIP-style image-caption pairs: read (folder, WebDataset tars, URL lists) → fetch → text, language and image rules → caption frequency → exact/near dedup → Parquet + WebDataset.")
public final class ImageTextCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Mixin ModelOptions model = new ModelOptions();

  @Mixin ModelRuntimeOptions runtime = new ModelRuntimeOptions();

  @Option(
      names = "--input",
      split = ",",
      paramLabel = "URI",
      description =
          "Input: a folder of images with .txt captions, WebDataset .tar shards (globs allowed), or a .csv/.tsv/.jsonl/.parquet URL list; local or s3://. Repeatable.")
  List<String> inputs;

  @Option(
      names = "--input-format",
      defaultValue = "auto",
      description = "auto (by extension), folder, webdataset or urls. Default: ${DEFAULT-VALUE}.")
  String inputFormat;

  @Option(names = "--output", paramLabel = "URI", description = "Output folder, local or s3://.")
  String output;

  @Option(
      names = "--url-col",
      defaultValue = "url",
      description = "URL column of URL lists. Default: ${DEFAULT-VALUE}.")
  String urlColumn;

  @Option(
      names = "--caption-col",
      defaultValue = "caption",
      description = "Caption column of URL lists. Default: ${DEFAULT-VALUE}.")
  String captionColumn;

  @Option(
      names = "--caption-field",
      defaultValue = "caption",
      description = "Caption field of key.json sidecars. Default: ${DEFAULT-VALUE}.")
  String captionField;

  @Option(
      names = "--fetch-deadline-ms",
      defaultValue = "" + FetchConfig.DEFAULT_DEADLINE_MILLIS,
      description =
          "Total time per request (DNS, connect, headers, body). Default: ${DEFAULT-VALUE}.")
  long fetchDeadlineMs;

  @Option(
      names = "--fetch-connect-timeout-ms",
      defaultValue = "" + FetchConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS,
      description = "Default: ${DEFAULT-VALUE}.")
  long fetchConnectTimeoutMs;

  @Option(
      names = "--max-redirects",
      defaultValue = "" + FetchConfig.DEFAULT_MAX_REDIRECTS,
      description = "Default: ${DEFAULT-VALUE}.")
  int maxRedirects;

  @Option(
      names = "--fetch-retries",
      defaultValue = "" + FetchConfig.DEFAULT_RETRIES,
      description = "Retries after 429, 5xx or a timeout. Default: ${DEFAULT-VALUE}.")
  int fetchRetries;

  @Option(
      names = "--fetch-backoff-ms",
      defaultValue = "" + FetchConfig.DEFAULT_BACKOFF_MILLIS,
      description = "First retry wait, doubled each retry. Default: ${DEFAULT-VALUE}.")
  long fetchBackoffMs;

  @Option(
      names = "--fetch-concurrency",
      defaultValue = "" + FetchConfig.DEFAULT_CONCURRENCY,
      description = "Requests in flight per worker. Default: ${DEFAULT-VALUE}.")
  int fetchConcurrency;

  @Option(
      names = "--user-agent",
      defaultValue = FetchConfig.DEFAULT_USER_AGENT,
      description = "Default: ${DEFAULT-VALUE}.")
  String userAgent;

  @Option(
      names = "--ignore-noai",
      description =
          "Keep images whose response says X-Robots-Tag: noai / noimageai (honoured by default).")
  boolean ignoreNoAi;

  @Option(
      names = "--allow-private-addresses",
      description =
          "Allow fetching from loopback, private and link-local addresses (refused by default).")
  boolean allowPrivateAddresses;

  @Option(
      names = "--allow-host",
      split = ",",
      paramLabel = "HOST",
      description =
          "Host name or IP literal always allowed, even when it resolves to a private address (an internal mirror). Repeatable.")
  List<String> allowHosts = new java.util.ArrayList<>();

  @Option(
      names = "--max-image-bytes",
      defaultValue = "" + ImageRules.DEFAULT_MAX_BYTES,
      description = "Largest image read or fetched, in bytes. Default: ${DEFAULT-VALUE}.")
  long maxImageBytes;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "" + ImageRules.DEFAULT_MAX_PIXELS,
      description =
          "Largest width×height decoded (decompression bombs), checked from the header. Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  @Option(
      names = "--min-image-side",
      defaultValue = "" + ImageRules.DEFAULT_MIN_SIDE,
      description = "FILIP: smallest shorter side in pixels. Default: ${DEFAULT-VALUE}.")
  int minSide;

  @Option(
      names = "--max-aspect",
      defaultValue = "" + ImageRules.DEFAULT_MAX_ASPECT,
      description = "FILIP: largest long/short side ratio. Default: ${DEFAULT-VALUE}.")
  double maxAspect;

  @Option(
      names = "--resize",
      defaultValue = "keep",
      description = "keep, max-side or center-crop. Default: ${DEFAULT-VALUE}.")
  String resize;

  @Option(
      names = "--resize-size",
      defaultValue = "0",
      description = "Target size for max-side and center-crop.")
  int resizeSize;

  @Option(
      names = "--output-format",
      defaultValue = "jpeg",
      description =
          "jpeg, png, or original (input bytes untouched; needs --resize keep). Default: ${DEFAULT-VALUE}.")
  String outputFormat;

  @Option(names = "--jpeg-quality", defaultValue = "95", description = "Default: ${DEFAULT-VALUE}.")
  int jpegQuality;

  @Option(
      names = "--unicode-form",
      defaultValue = "NFC",
      description = "Caption normalisation: NFC, NFKC, NFD or NFKD. Default: ${DEFAULT-VALUE}.")
  Normalizer.Form unicodeForm;

  @Option(
      names = "--min-caption-words",
      defaultValue = "" + TextRules.DEFAULT_MIN_WORDS,
      description = "DataComp: more than 2 words. Default: ${DEFAULT-VALUE}.")
  int minCaptionWords;

  @Option(
      names = "--min-caption-chars",
      defaultValue = "" + TextRules.DEFAULT_MIN_CHARS,
      description = "DataComp: more than 5 characters. Default: ${DEFAULT-VALUE}.")
  int minCaptionChars;

  @Option(
      names = "--max-caption-chars",
      defaultValue = "" + TextRules.DEFAULT_MAX_CHARS,
      description = "Default: ${DEFAULT-VALUE}.")
  int maxCaptionChars;

  @Option(
      names = "--max-caption-bytes",
      defaultValue = "" + ReadLimits.DEFAULT_MAX_CAPTION_BYTES,
      description = "Largest caption file read. Default: ${DEFAULT-VALUE}.")
  long maxCaptionBytes;

  @Option(
      names = "--no-filename-rule",
      description = "Keep captions that look like file names, hashes or bare numbers.")
  boolean noFilenameRule;

  @Option(
      names = "--languages",
      split = ",",
      defaultValue = "en",
      description = "ISO 639-1 codes of captions kept; 'any' keeps all. Default: ${DEFAULT-VALUE}.")
  List<String> languages;

  @Option(
      names = "--min-language-score",
      defaultValue = "0.0",
      description =
          "Smallest language score (margin over the runner-up language, 0..1). Default: ${DEFAULT-VALUE}.")
  double minLanguageScore;

  @Option(
      names = "--language-low-accuracy",
      description = "Lingua's low-accuracy mode: less memory and faster, weaker on short captions.")
  boolean languageLowAccuracy;

  @Option(
      names = "--caption-max-count",
      defaultValue = "" + ImageTextConfig.DEFAULT_CAPTION_MAX_COUNT,
      description =
          "FILIP: drop pairs whose caption occurs more than this many times in the input; 0 turns it off. Default: ${DEFAULT-VALUE}.")
  long captionMaxCount;

  @Option(
      names = "--no-exact-dedup",
      description = "Keep images whose decoded pixels equal another's.")
  boolean noExactDedup;

  @Option(
      names = "--near-dup-radius",
      defaultValue = "" + ImageTextConfig.DEFAULT_NEAR_DUP_RADIUS,
      description =
          "Hamming radius on the 64-bit perceptual hash; -1 turns near dedup off. Default: ${DEFAULT-VALUE}.")
  int nearDupRadius;

  @Option(
      names = "--wds-shard-size",
      defaultValue = "" + ImageTextConfig.DEFAULT_WDS_SHARD_SIZE,
      description = "Samples per WebDataset shard (about). Default: ${DEFAULT-VALUE}.")
  int wdsShardSize;

  @Option(
      names = "--wds-shards-multiple-of",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Round the number of WebDataset shards up to a multiple of N (the ranks of a distributed training job, so each gets as many shards); no sample is dropped: the shards get smaller, and one that no sample falls in is written empty. Default: ${DEFAULT-VALUE}.")
  int wdsShardsMultipleOf;

  @Option(
      names = "--score-model",
      paramLabel = "BUNDLE",
      description =
          "Dual-encoder model bundle (folder or s3:// prefix with bundle.json) that scores every surviving pair; scores go to clip_score and filip_score.")
  String scoreModel;

  @Option(
      names = "--score",
      defaultValue = "filip",
      description =
          "Score the alignment filter uses: clip (cosine of pooled embeddings) or filip (token-wise late interaction). Default: ${DEFAULT-VALUE}.")
  String score;

  @Option(
      names = "--min-score",
      description =
          "LAION style: drop pairs scoring under this (LAION-400M: CLIP ViT-B/32 ≥ 0.30; LAION-5B English: ≥ 0.28).")
  Double minScore;

  @Option(
      names = "--min-score-lang",
      split = ",",
      paramLabel = "LANG=SCORE",
      description = "Per-language floors overriding --min-score, e.g. en=0.28,de=0.26.")
  Map<String, Double> minScoreByLanguage = new java.util.LinkedHashMap<>();

  @Option(
      names = "--keep-top-fraction",
      description =
          "DataComp style: keep pairs scoring ≥ the score at rank ⌊F·N⌋ over all N scored pairs (DataComp: 0.3).")
  Double keepTopFraction;

  @Option(
      names = "--filip-token-fraction",
      defaultValue = "" + ScoringConfig.DEFAULT_FILIP_TOP_FRACTION,
      description =
          "FILIP's token selection: fraction of tokens per side kept by the late interaction (FILIP trains with 0.25). Default: ${DEFAULT-VALUE}.")
  double filipTokenFraction;

  @Option(
      names = "--embeddings",
      description =
          "With --score-model: write each kept pair's normalised image and text embeddings of the scoring pass (image_embedding, text_embedding) and export them in clip-retrieval's layout under exports/embeddings/ (img_emb, text_emb .npy and metadata .parquet).")
  boolean embeddings;

  @Option(
      names = "--embeddings-part-size",
      paramLabel = "N",
      defaultValue = "" + ImageTextConfig.DEFAULT_EMBEDDINGS_PART_SIZE,
      description = "Pairs per file of the embeddings export (about). Default: ${DEFAULT-VALUE}.")
  int embeddingsPartSize;

  @Option(
      names = "--semdedup-eps",
      paramLabel = "E",
      description =
          "Semantic dedup (SemDeDup) with --embeddings, after the alignment filter: k-means on the image embeddings, then within each cluster a pair more similar than 1 - E (cosine) is a duplicate; the one least similar to its centroid survives, the others are dup_semantic naming it. Off unless given.")
  Double semdedupEps;

  @Option(
      names = "--semdedup-clusters",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "k-means clusters of --semdedup-eps; 0 derives them: one per "
              + SemDedupConfig.ROWS_PER_CLUSTER
              + " rows, at most one per "
              + SemDedupConfig.SAMPLE_PER_CLUSTER
              + " sampled embeddings. Default: ${DEFAULT-VALUE}.")
  int semdedupClusters;

  @Option(
      names = "--semdedup-sample",
      paramLabel = "N",
      defaultValue = "" + SemDedupConfig.DEFAULT_SAMPLE,
      description =
          "Embeddings the centroids are fitted on, on one worker (chosen by a seeded hash of the sample id). Default: ${DEFAULT-VALUE}.")
  int semdedupSample;

  @Option(
      names = "--semdedup-max-cluster",
      paramLabel = "N",
      defaultValue = "" + SemDedupConfig.DEFAULT_MAX_CLUSTER,
      description =
          "A larger cluster is split by id hash into parts of about half this size, compared apart (pairs across parts are not compared). Default: ${DEFAULT-VALUE}.")
  int semdedupMaxCluster;

  @Option(
      names = "--semdedup-seed",
      defaultValue = "0",
      description = "Seeds the sample and k-means++. Default: ${DEFAULT-VALUE}.")
  long semdedupSeed;

  @Option(
      names = "--keep-columns",
      split = ",",
      paramLabel = "COL",
      description =
          "Input columns of URL lists and JSON sidecars carried to the kept rows (columns: (name, value) pairs, text as written, other JSON values as JSON text), e.g. DataComp's uid,clip_l14_similarity_score.")
  List<String> keepColumns = new java.util.ArrayList<>();

  @Option(
      names = "--filter-col",
      paramLabel = "COL",
      description =
          "A precomputed score column (carried too): rows whose value is under --filter-min are filter_col_below_min, rows without a number filter_col_missing or filter_col_not_a_number; checked before any fetch.")
  String filterColumn;

  @Option(names = "--filter-min", paramLabel = "X", description = "The floor of --filter-col.")
  Double filterMin;

  @Option(
      names = "--uid-col",
      paramLabel = "COL",
      description =
          "A 32-hex-digit uid column (DataComp's uid; carried too): rows without one are uid_invalid, and exports/datacomp/uids.npy holds the kept rows' uids as DataComp submissions do.")
  String uidColumn;

  @Option(
      names = "--blocklist-urls",
      paramLabel = "FILE",
      description =
          "URLs (https://host/path: that URL) and domains (example.com: it and its subdomains) never fetched, one per line, local or s3://; matches are blocklisted_url. Only the file's SHA-256 goes into the manifest.")
  String blocklistUrls;

  @Option(
      names = "--blocklist-hashes",
      paramLabel = "FILE",
      description =
          "MD5 or SHA-256 digests (hex) of raw image bytes, one per line, local or s3://; a file whose bytes match is blocklisted_hash before it is decoded. Only the file's SHA-256 goes into the manifest.")
  String blocklistHashes;

  @Option(
      names = "--preview-count",
      defaultValue = "24",
      description = "Kept samples shown in report.html. Default: ${DEFAULT-VALUE}.")
  int previewCount;

  ImageTextConfig config() throws IOException {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "image-text needs --input (or input: in the --config file)");
    }
    if (embeddings && scoreModel == null) {
      throw new IllegalArgumentException("--embeddings needs --score-model: they are its pass's");
    }
    if ((filterColumn == null) != (filterMin == null)) {
      throw new IllegalArgumentException("--filter-col and --filter-min go together");
    }
    ColumnRules columns =
        new ColumnRules(
            keepColumns.stream().map(String::strip).toList(),
            filterColumn,
            filterMin == null ? 0 : filterMin,
            uidColumn);
    Set<String> keep = new LinkedHashSet<>();
    for (String l : languages) {
      String code = l.strip().toLowerCase(java.util.Locale.ROOT);
      if (!code.isEmpty() && !code.equals("any")) {
        keep.add(code);
      }
    }
    return new ImageTextConfig(
        inputs,
        inputFormat,
        output,
        new ReadLimits(maxImageBytes, maxCaptionBytes, captionField, columns.carried()),
        new UrlListSource.Columns(urlColumn, captionColumn, columns.carried()),
        new FetchConfig(
            fetchDeadlineMs,
            fetchConnectTimeoutMs,
            maxImageBytes,
            maxRedirects,
            fetchRetries,
            fetchBackoffMs,
            fetchConcurrency,
            userAgent,
            !ignoreNoAi,
            allowPrivateAddresses,
            allowHosts.stream()
                .map(h -> h.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet())),
        unicodeForm,
        new TextRules(minCaptionWords, minCaptionChars, maxCaptionChars, !noFilenameRule),
        new LanguageRule(keep, minLanguageScore, languageLowAccuracy),
        new ImageRules(maxImageBytes, maxPixels, minSide, maxAspect),
        new ImageOutput(resize, resizeSize, outputFormat, jpegQuality),
        captionMaxCount,
        !noExactDedup,
        nearDupRadius,
        wdsShardSize,
        wdsShardsMultipleOf,
        previewCount,
        scoreModel == null
            ? null
            : model.scoring(runtime, scoreModel, filipTokenFraction).withEmbeddings(embeddings),
        alignment(),
        embeddingsPartSize,
        columns,
        blocklistUrls == null ? null : UrlBlocklist.read(blocklistUrls).file(),
        blocklistHashes == null ? null : HashBlocklist.read(blocklistHashes).file(),
        semdedupEps == null
            ? null
            : new SemDedupConfig(
                semdedupEps,
                semdedupClusters,
                semdedupSample,
                semdedupMaxCluster,
                semdedupSeed,
                SemDedupConfig.DEFAULT_ITERATIONS,
                SemDedupConfig.DEFAULT_GALLERY));
  }

  AlignmentRule alignment() {
    boolean filters = minScore != null || !minScoreByLanguage.isEmpty() || keepTopFraction != null;
    if (filters && scoreModel == null) {
      throw new IllegalArgumentException(
          "--min-score, --min-score-lang and --keep-top-fraction need --score-model");
    }
    Map<String, Double> byLanguage = new java.util.TreeMap<>();
    minScoreByLanguage.forEach(
        (k, v) -> byLanguage.put(k.strip().toLowerCase(java.util.Locale.ROOT), v));
    return new AlignmentRule(ScoreKind.parse(score), minScore, byLanguage, keepTopFraction);
  }

  static RunDriver.Job job(ImageTextConfig config) {
    return new RunDriver.Job(
        ImageTextPipeline.NAME,
        config.inputs(),
        config.output(),
        config,
        Map.of("data", ImageTextPipeline.ROW_SCHEMA, "reject", Reject.getClassSchema()),
        p -> ImageTextPipeline.build(p, config));
  }

  @Override
  public Integer call() throws Exception {
    if (blocklistUrls != null || blocklistHashes != null) {
      // the lists are read here, once, to check them and take their digests: s3:// needs options
      RunDriver.options(run.settings());
    }
    ImageTextConfig config = config();
    if (config.scoring() != null) {
      RunDriver.options(run.settings());
      ScoringPreflight.check(config.scoring());
    }
    RunDriver.Job job = job(config);
    if (run.settings().embedded() && !run.settings().detached()) {
      // the workers run in this JVM: once the checks have passed and planning starts, load the
      // language models on a thread of their own while the pipeline is planned and Flink starts
      job =
          job.beforePlanning(
              () -> LanguageIdentifier.preloadInBackground(config.languageRule().lowAccuracy()));
    }
    return Forge.drive(job, run.settings());
  }
}
