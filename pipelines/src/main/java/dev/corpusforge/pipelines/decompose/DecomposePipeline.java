package dev.corpusforge.pipelines.decompose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.schemas.DecomposedSequence;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.TextDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
    StepResult<TextDocument> read =
        pipeline.apply("Read documents", TextDocumentSource.of(config.inputs(), config.columns()));
    PCollection<String> inputIds =
        PCollectionList.of(
                List.of(
                    read.kept()
                        .apply(
                            "Document ids",
                            MapElements.into(TypeDescriptors.strings())
                                .via(TextDocument::getSampleId)),
                    read.rejects()
                        .apply(
                            "Read reject ids",
                            MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId))))
            .apply("Input ids", Flatten.pCollections())
            .apply("Count reads for progress", ProgressMeter.count(ProgressMeter.READ));

    if (config.concatChunkLength() > 0) {
      buildBaseline(pipeline, config, read, inputIds);
      return;
    }
    TupleTag<TokenChunk> chunkTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<DocumentTokens> tokensTag = new TupleTag<>();
    TupleTag<ChunkInfo> infoTag = new TupleTag<>();
    PCollectionTuple split =
        read.kept()
            .apply(
                "Tokenise and split",
                ParDo.of(
                        new DecomposeFn(
                            config.rule(),
                            config.tokenizer(),
                            config.segmentChars(),
                            chunkTag,
                            rejectTag,
                            tokensTag,
                            infoTag))
                    .withOutputTags(
                        chunkTag, TupleTagList.of(List.of(rejectTag, tokensTag, infoTag))));
    PCollection<ChunkInfo> infos = split.get(infoTag).setCoder(TokenChunk.InfoCoder.INSTANCE);
    PCollection<TokenChunk> chunks = split.get(chunkTag).setCoder(TokenChunk.Coder.INSTANCE);
    PCollection<DocumentTokens> tokens =
        split.get(tokensTag).setCoder(SerializableCoder.of(DocumentTokens.class));
    PCollection<Reject> rejects =
        PCollectionList.of(
                List.of(read.rejects(), split.get(rejectTag).setCoder(AvroCoder.of(Reject.class))))
            .apply("All rejects", Flatten.pCollections());

    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(
        tokens
            .apply(
                "Sum tokens",
                Combine.globally(
                        (Iterable<DocumentTokens> all) -> {
                          DocumentTokens sum = DocumentTokens.NONE;
                          for (DocumentTokens t : all) {
                            sum = sum.plus(t);
                          }
                          return sum;
                        })
                    .withoutDefaults())
            .apply(
                "Token lines",
                MapElements.into(TypeDescriptors.strings()).via(DecomposePipeline::tokenLine)));
    stats.add(
        tokens
            .apply(
                "Document lengths",
                MapElements.into(TypeDescriptors.doubles())
                    .via((DocumentTokens t) -> (double) t.tokensIn()))
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
                        1 << 20))));
    stats.add(
        bucketLines(infos, config.rule().maxLog2())
            .apply(
                "One stats line each",
                org.apache.beam.sdk.transforms.FlatMapElements.into(TypeDescriptors.strings())
                    .via((String lines) -> List.of(lines.split("\n")))));
    if (config.ddShardTokens() > 0) {
      stats.add(
          chunks.apply(
              "D_k export",
              new DdExport(
                  new OutputLayout(config.output()).exports("dd"), config.ddShardTokens(), infos)));
    }

    OutputLayout layout = new OutputLayout(config.output());
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
                layout,
                DecomposedSequence.getClassSchema(),
                chunks.apply(
                    "Rows",
                    MapElements.into(TypeDescriptor.of(DecomposedSequence.class))
                        .via(TokenChunk::toRecord)),
                infos
                    .apply(
                        "Kept document ids",
                        MapElements.into(TypeDescriptors.strings())
                            .via(ChunkInfo::documentSampleId))
                    .apply("Distinct documents", Distinct.create()),
                rejects,
                inputIds,
                stats)
            .partitionedBy(r -> "len=" + (1 << (Integer) r.get("bucket"))));
  }

  /** The concat-and-chunk baseline from the same documents, into data/len=<seq-len>/. */
  private static void buildBaseline(
      Pipeline pipeline,
      DecomposeConfig config,
      StepResult<TextDocument> read,
      PCollection<String> inputIds) {
    int extra = config.rule().plusOne() ? 1 : 0;
    int seqLen = config.concatChunkLength();
    ConcatChunk.Result baseline =
        ConcatChunk.apply(read.kept(), config.tokenizer(), seqLen + extra);
    PCollection<Reject> rejects =
        PCollectionList.of(List.of(read.rejects(), baseline.rejects()))
            .apply("All baseline rejects", Flatten.pCollections());
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
                new OutputLayout(config.output()),
                DecomposedSequence.getClassSchema(),
                baseline.sequences(),
                baseline.keptDocumentIds(),
                rejects,
                inputIds,
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

  private static PCollection<String> bucketLines(PCollection<ChunkInfo> chunks, int maxLog2) {
    return chunks
        .apply(
            "Bucket of each chunk",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.longs()))
                .via((ChunkInfo c) -> KV.of(c.bucket(), (long) c.length())))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarLongCoder.of()))
        .apply("Sequences and tokens per bucket", Combine.perKey(new BucketTotals()))
        .apply("One key", WithKeys.of(0))
        .apply("All buckets", GroupByKey.create())
        .apply(
            "Bucket table",
            MapElements.into(TypeDescriptors.strings())
                .via(
                    (KV<Integer, Iterable<KV<Integer, long[]>>> all) -> {
                      Map<Integer, long[]> sorted = new TreeMap<>();
                      all.getValue().forEach(kv -> sorted.put(kv.getKey(), kv.getValue()));
                      ObjectNode buckets = StatsLines.JSON.createObjectNode();
                      sorted.forEach(
                          (k, v) ->
                              buckets
                                  .putObject(Integer.toString(1 << k))
                                  .put("bucket", k)
                                  .put("sequences", v[0])
                                  .put("tokens", v[1]));
                      return StatsLines.manifest("buckets", buckets)
                          + "\n"
                          + attentionCostLine(sorted, maxLog2);
                    }));
  }

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

  /** (sequences, tokens) per bucket. */
  static final class BucketTotals extends Combine.CombineFn<Long, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] addInput(long[] acc, Long length) {
      acc[0]++;
      acc[1] += length;
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] sum = new long[2];
      for (long[] a : accs) {
        sum[0] += a[0];
        sum[1] += a[1];
      }
      return sum;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      return acc;
    }
  }
}
