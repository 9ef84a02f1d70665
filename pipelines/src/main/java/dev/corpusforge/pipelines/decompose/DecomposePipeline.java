package dev.corpusforge.pipelines.decompose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.dedup.ExactDuplicateFilter;
import dev.corpusforge.schemas.DecomposedSequence;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.TextDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The {@code decompose} pipeline (Dataset Decomposition, CORPORA.md §5): read documents → tokenise
 * with end-of-text → split into power-of-two chunks → {@code data/len=<2^k>/part-*.parquet} and the
 * released {@code exports/dd/D_<k>/} tar layout ({@link DdExport}). A document is kept when it
 * yields at least one chunk and rejected otherwise; the manifest adds the token balance ({@code
 * tokens_in = tokens_out + Σ tokens_dropped}), sequences and tokens per bucket, and the
 * document-length histogram.
 */
public final class DecomposePipeline {
  public static final String NAME = "decompose";

  private DecomposePipeline() {}

  public static void build(Pipeline pipeline, DecomposeConfig config) {
    Recipe<TextDocument> documents =
        Recipe.read(
            pipeline.apply(
                "Read documents",
                TextDocumentSource.of(config.inputs(), config.columns(), config.limits())),
            TextDocument::getSampleId);
    if (config.quality().any()) {
      documents =
          documents.then(
              "Quality rules",
              Stage.of(
                  QualityStep.STAGE,
                  new QualityStep(
                      config.quality(),
                      config.dedup().maxChars(),
                      config.limits().maxDecompressedBytes(),
                      config.removed()),
                  SplitDocument.IDENTITY));
    }
    if (!config.decontaminate().isEmpty()) {
      documents =
          documents.then(
              "Decontaminate",
              Stage.of(
                  DecontaminateStep.STAGE,
                  new DecontaminateStep(
                      EvalTexts.index(
                          config.decontaminate(),
                          config.decontNgram(),
                          config.limits().maxDecompressedBytes()),
                      config.dedup().maxChars(),
                      config.limits().maxDecompressedBytes(),
                      config.removed()),
                  SplitDocument.IDENTITY));
    }
    if (config.dedup().any()) {
      documents =
          documents
              .then(
                  "Fingerprint",
                  Stage.of(
                      ExactDuplicateFilter.STAGE,
                      new Fingerprint(config.dedup(), config.limits().maxDecompressedBytes()),
                      SplitDocument.IDENTITY))
              .thenTransform(
                  "Deduplicate", Fingerprint.decisions(config.dedup(), config.removed()));
    }
    if (config.concatChunkLength() > 0) {
      buildBaseline(pipeline, config, documents);
      return;
    }
    OutputLayout layout = new OutputLayout(config.output());
    // each chunk's row is written where the chunk is made; the chunks go on, tokens and all, to
    // the statistics and the D_k export
    Recipe.Writing<TokenChunk> writing =
        documents
            .then(
                "Tokenise and split",
                Stage.flat(
                    DecomposeReasons.SPLIT,
                    new SplitDocument(
                        config.rule(),
                        config.tokenizer(),
                        config.segmentChars(),
                        config.limits().maxDecompressedBytes()),
                    SplitDocument.IDENTITY,
                    TokenChunk.Coder.INSTANCE))
            .writeKept(
                layout,
                Recipe.Rows.of(DecomposedSequence.getClassSchema(), TokenChunk::toRow)
                    .partitionedBy(r -> "len=" + (1 << (Integer) r.get("bucket"))),
                chunk -> chunk);
    PCollection<TokenChunk> chunks = writing.kept();
    PCollection<ChunkInfo> infos =
        chunks
            .apply(
                "Chunk info",
                MapElements.into(TypeDescriptor.of(ChunkInfo.class)).via(TokenChunk::info))
            .setCoder(TokenChunk.InfoCoder.INSTANCE);
    PCollection<Tally> tallies = writing.tallies();
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(tallyLines(tallies));
    stats.add(documentLengths(tallies));
    stats.add(bucketLines(infos, config.rule().maxLog2()));
    if (config.ddShardTokens() > 0) {
      stats.add(
          chunks.apply(
              "D_k export", new DdExport(layout.exports("dd"), config.ddShardTokens(), infos)));
    }
    writing.finish(
        infos
            .apply(
                "Kept document ids",
                MapElements.into(TypeDescriptors.strings()).via(ChunkInfo::documentSampleId))
            .apply("Distinct documents", Distinct.create()),
        stats);
  }

  /**
   * The manifest's sections from the run's summed tallies: tokens (every token read in a chunk or
   * dropped with a reason), what the steps before tokenising removed, and the near-duplicate
   * clusters.
   */
  private static PCollection<String> tallyLines(PCollection<Tally> tallies) {
    return tallies
        .apply("Sum tallies", Combine.globally(Tally.sum()).withoutDefaults())
        .apply(
            "Tally lines",
            FlatMapElements.into(TypeDescriptors.strings())
                .via(
                    (Tally sum) -> {
                      List<String> lines = new ArrayList<>();
                      lines.add(tokenLine(SplitDocument.tokens(sum)));
                      String removed = RemovedTokens.manifestLine(sum);
                      if (removed != null) {
                        lines.add(removed);
                      }
                      String clusters = Fingerprint.clustersLine(sum);
                      if (clusters != null) {
                        lines.add(clusters);
                      }
                      return lines;
                    }));
  }

  /** The tokens of each tokenised document (the tallies of the split stage). */
  private static PCollection<String> documentLengths(PCollection<Tally> tallies) {
    return tallies
        .apply(
            "Document lengths",
            FlatMapElements.into(TypeDescriptors.doubles())
                .via(
                    (Tally t) ->
                        t.get(SplitDocument.DOCUMENTS) == 1
                            ? List.of((double) t.get(SplitDocument.TOKENS_IN))
                            : List.<Double>of()))
        .apply(
            "Document length histogram",
            Combine.globally(
                new Histogram(
                    "document_tokens",
                    0,
                    64,
                    257,
                    513,
                    1025,
                    2049,
                    4097,
                    8193,
                    16385,
                    65537,
                    1 << 20)));
  }

  /** The concat-and-chunk baseline from the same documents, into data/len=<seq-len>/. */
  private static void buildBaseline(
      Pipeline pipeline, DecomposeConfig config, Recipe<TextDocument> documents) {
    int extra = config.rule().plusOne() ? 1 : 0;
    int seqLen = config.concatChunkLength();
    ConcatChunk.Result baseline =
        ConcatChunk.apply(
            documents.kept(),
            config.tokenizer(),
            seqLen + extra,
            config.limits().maxDecompressedBytes());
    PCollection<Reject> rejects =
        PCollectionList.of(List.of(documents.rejects(), baseline.rejects()))
            .apply("All baseline rejects", Flatten.pCollections());
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
                new OutputLayout(config.output()),
                DecomposedSequence.getClassSchema(),
                baseline.sequences(),
                baseline.keptDocumentIds(),
                rejects,
                documents.inputIds(),
                List.of(baseline.stats()))
            .partitionedBy(r -> "len=" + seqLen));
  }

  /**
   * Σ length² of the decomposed sequences (length 2^k) against the same tokens cut into
   * concat-and-chunk sequences of the longest length 2^max: tokens × 2^max.
   */
  static String attentionCostLine(Map<Integer, long[]> buckets, int maxLog2) {
    double decomposed = 0;
    double tokens = 0;
    for (Map.Entry<Integer, long[]> e : buckets.entrySet()) {
      double length = 1L << e.getKey();
      decomposed += e.getValue()[0] * length * length;
      tokens += e.getValue()[0] * length;
    }
    double baseline = tokens * (1L << maxLog2);
    ObjectNode cost = StatsLines.JSON.createObjectNode();
    cost.put("decomposed", decomposed)
        .put("concat_chunk", baseline)
        .put("baseline_length", 1L << maxLog2)
        .put("ratio", baseline == 0 ? 0 : decomposed / baseline);
    return StatsLines.manifest("attention_cost", cost);
  }

  /** Sequences and tokens per bucket, and the attention cost they imply. */
  private static PCollection<String> bucketLines(PCollection<ChunkInfo> chunks, int maxLog2) {
    return chunks
        .apply(
            "Bucket of each chunk",
            MapElements.into(TypeDescriptor.of(Tally.class))
                .via(
                    (ChunkInfo c) ->
                        Tally.of(SEQUENCES + c.bucket(), 1).add(TOKENS + c.bucket(), c.length())))
        .setCoder(Tally.coder())
        .apply("Sequences and tokens per bucket", Combine.globally(Tally.sum()).withoutDefaults())
        .apply(
            "Bucket table",
            FlatMapElements.into(TypeDescriptors.strings())
                .via(
                    (Tally all) -> {
                      Map<Integer, long[]> sorted = new TreeMap<>();
                      all.counts()
                          .forEach(
                              (name, n) -> {
                                boolean sequences = name.startsWith(SEQUENCES);
                                int k =
                                    Integer.parseInt(
                                        name.substring((sequences ? SEQUENCES : TOKENS).length()));
                                sorted.computeIfAbsent(k, b -> new long[2])[sequences ? 0 : 1] = n;
                              });
                      ObjectNode buckets = StatsLines.JSON.createObjectNode();
                      sorted.forEach(
                          (k, v) ->
                              buckets
                                  .putObject(Integer.toString(1 << k))
                                  .put("bucket", k)
                                  .put("sequences", v[0])
                                  .put("tokens", v[1]));
                      return List.of(
                          StatsLines.manifest("buckets", buckets),
                          attentionCostLine(sorted, maxLog2));
                    }));
  }

  private static final String SEQUENCES = "sequences ";
  private static final String TOKENS = "tokens ";

  static String tokenLine(DocumentTokens t) {
    ObjectNode o = StatsLines.JSON.createObjectNode();
    o.put("documents_tokenised", t.documents())
        .put("tokens_in", t.tokensIn())
        .put("tokens_out", t.tokensOut());
    o.putObject("tokens_dropped")
        .put(DecomposeReasons.DROPPED_TAIL, t.droppedTail())
        .put(DecomposeReasons.TOO_SHORT, t.droppedTooShort());
    o.put("balanced", t.balanced());
    return StatsLines.manifest("tokens", o);
  }
}
