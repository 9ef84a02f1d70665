package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.core.read.ReadReasons.INVALID_ENCODING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.read.ReadReasons;
import dev.corpusforge.schemas.DecomposedSequence;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import dev.corpusforge.schemas.TextDocument;
import dev.corpusforge.schemas.TokenizedDocument;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The classic baseline: every document's tokens (end-of-text appended) concatenated in sample-id
 * order and cut into sequences of {@code seqLen} (+1) tokens, counting the sequences that cross a
 * document boundary. Global token offsets come from per-range token counts (256 ranges of sample
 * ids), so no worker holds the corpus; the tokens after the last full sequence are dropped ({@code
 * tail_below_seq_len}), and a document whose tokens all fall there is a reject. Documents are
 * tokenised whole here (no streaming).
 */
final class ConcatChunk {
  static final String DROPPED_TAIL = "tail_below_seq_len";

  private ConcatChunk() {}

  /** What the baseline produced. */
  record Result(
      PCollection<DecomposedSequence> sequences,
      PCollection<String> keptDocumentIds,
      PCollection<Reject> rejects,
      PCollection<String> stats) {}

  /** A document's tokens that fall in one sequence. */
  record Piece(
      long sequence, long position, String documentSampleId, String documentId, int[] tokens)
      implements java.io.Serializable {}

  static String range(String sampleId) {
    return sampleId.substring(0, 2);
  }

  static Result apply(
      PCollection<TextDocument> docs,
      DocumentTokenizer.Spec tokenizer,
      int chunkLength,
      long maxDecompressedBytes) {
    TupleTag<TokenizedDocument> tokensTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple tokenized =
        docs.apply(
            "Tokenise whole documents",
            ParDo.of(new TokenizeFn(tokenizer, maxDecompressedBytes, tokensTag, rejectTag))
                .withOutputTags(tokensTag, TupleTagList.of(rejectTag)));
    PCollection<TokenizedDocument> tokens =
        tokenized.get(tokensTag).setCoder(AvroCoder.of(TokenizedDocument.class));

    PCollectionView<Map<String, Long>> rangeTokens =
        tokens
            .apply(
                "Tokens by range",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(
                        (TokenizedDocument d) ->
                            KV.of(range(d.getSampleId()), (long) d.getTokens().size())))
            .apply("Sum per range", Sum.longsPerKey())
            .apply("Range totals", View.asMap());

    TupleTag<KV<Long, Piece>> pieceTag = new TupleTag<>();
    TupleTag<Reject> tailTag = new TupleTag<>();
    PCollectionTuple pieces =
        tokens
            .apply(
                "Key by range",
                WithKeys.of((TokenizedDocument d) -> range(d.getSampleId()))
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(TokenizedDocument.class)))
            .apply("Group ranges", GroupByKey.create())
            .apply(
                "Cut into sequences",
                ParDo.of(new PieceFn(rangeTokens, chunkLength, pieceTag, tailTag))
                    .withSideInputs(rangeTokens)
                    .withOutputTags(pieceTag, TupleTagList.of(tailTag)));
    PCollection<KV<Long, Piece>> keyed =
        pieces
            .get(pieceTag)
            .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(Piece.class)));
    PCollection<DecomposedSequence> sequences =
        keyed
            .apply("Group sequences", GroupByKey.create())
            .apply("Assemble sequences", ParDo.of(new AssembleFn(chunkLength)))
            .setCoder(AvroCoder.of(DecomposedSequence.class));
    PCollection<String> kept =
        keyed
            .apply(
                "Documents in sequences",
                MapElements.into(TypeDescriptors.strings())
                    .via((KV<Long, Piece> p) -> p.getValue().documentSampleId()))
            .apply("Distinct kept documents", org.apache.beam.sdk.transforms.Distinct.create());
    PCollection<Reject> rejects =
        org.apache.beam.sdk.values.PCollectionList.of(
                List.of(
                    tokenized.get(rejectTag).setCoder(AvroCoder.of(Reject.class)),
                    pieces.get(tailTag).setCoder(AvroCoder.of(Reject.class))))
            .apply("Baseline rejects", org.apache.beam.sdk.transforms.Flatten.pCollections());

    PCollection<String> stats =
        keyed
            .apply(
                "Documents per sequence",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((KV<Long, Piece> p) -> KV.of(p.getKey(), 1L)))
            .apply("Count pieces", Sum.longsPerKey())
            .apply(
                "Crossing",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((KV<Long, Long> kv) -> KV.of(1L, kv.getValue() > 1 ? 1L : 0L)))
            .apply("Sum crossing", Combine.globally(ConcatChunk::sumPairs).withoutDefaults())
            .apply(
                "Baseline line",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (KV<Long, Long> nc) -> {
                          ObjectNode b = StatsLines.JSON.createObjectNode();
                          b.put("sequence_length", chunkLength)
                              .put("sequences", nc.getKey())
                              .put("crossing_document_boundary", nc.getValue())
                              .put(
                                  "share_crossing",
                                  nc.getKey() == 0 ? 0 : (double) nc.getValue() / nc.getKey());
                          return StatsLines.manifest("concat_chunk", b);
                        }));
    // the balance is counted, not assumed: tokens in from the documents, tokens out from the pieces
    // cut
    PCollection<KV<String, Long>> counted =
        org.apache.beam.sdk.values.PCollectionList.of(
                List.of(
                    tokens.apply(
                        "Tokens in",
                        MapElements.into(
                                TypeDescriptors.kvs(
                                    TypeDescriptors.strings(), TypeDescriptors.longs()))
                            .via(
                                (TokenizedDocument d) -> KV.of("in", (long) d.getTokens().size()))),
                    tokens.apply(
                        "Documents in",
                        MapElements.into(
                                TypeDescriptors.kvs(
                                    TypeDescriptors.strings(), TypeDescriptors.longs()))
                            .via((TokenizedDocument d) -> KV.of("documents", 1L))),
                    keyed.apply(
                        "Tokens out",
                        MapElements.into(
                                TypeDescriptors.kvs(
                                    TypeDescriptors.strings(), TypeDescriptors.longs()))
                            .via(
                                (KV<Long, Piece> p) ->
                                    KV.of("out", (long) p.getValue().tokens().length)))))
            .apply("All counts", org.apache.beam.sdk.transforms.Flatten.pCollections())
            .apply("Sum counts", Sum.longsPerKey());
    PCollection<String> tokenLine =
        counted
            .apply("One key", WithKeys.of(0))
            .apply("Gather counts", GroupByKey.create())
            .apply(
                "Token balance line",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (KV<Integer, Iterable<KV<String, Long>>> all) -> {
                          Map<String, Long> c = new TreeMap<>();
                          all.getValue().forEach(kv -> c.put(kv.getKey(), kv.getValue()));
                          long in = c.getOrDefault("in", 0L);
                          long out = c.getOrDefault("out", 0L);
                          long dropped = in / chunkLength * chunkLength == out ? in - out : -1;
                          ObjectNode o = StatsLines.JSON.createObjectNode();
                          o.put("documents_tokenised", c.getOrDefault("documents", 0L))
                              .put("tokens_in", in)
                              .put("tokens_out", out);
                          o.putObject("tokens_dropped").put(DROPPED_TAIL, in - out);
                          o.put("balanced", dropped >= 0 && dropped < chunkLength);
                          return StatsLines.manifest("tokens", o);
                        }));
    return new Result(
        sequences,
        kept,
        rejects,
        org.apache.beam.sdk.values.PCollectionList.of(List.of(stats, tokenLine))
            .apply("Baseline stats", org.apache.beam.sdk.transforms.Flatten.pCollections()));
  }

  /** Element-wise sum of (a, b) pairs. */
  static KV<Long, Long> sumPairs(Iterable<KV<Long, Long>> all) {
    long a = 0;
    long b = 0;
    for (KV<Long, Long> kv : all) {
      a += kv.getKey();
      b += kv.getValue();
    }
    return KV.of(a, b);
  }

  /** Tokenises a whole document; empty, blank and undecodable ones are rejects. */
  static final class TokenizeFn extends DoFn<TextDocument, TokenizedDocument> {
    private final DocumentTokenizer.Spec spec;
    private final long maxDecompressedBytes;
    private final TupleTag<TokenizedDocument> tokensTag;
    private final TupleTag<Reject> rejectTag;
    private transient DocumentTokenizer tokenizer;

    TokenizeFn(
        DocumentTokenizer.Spec spec,
        long maxDecompressedBytes,
        TupleTag<TokenizedDocument> tokensTag,
        TupleTag<Reject> rejectTag) {
      this.spec = spec;
      this.maxDecompressedBytes = maxDecompressedBytes;
      this.tokensTag = tokensTag;
      this.rejectTag = rejectTag;
    }

    @Setup
    public void setup() throws IOException {
      tokenizer = spec.open();
    }

    @ProcessElement
    public void process(@Element TextDocument doc, MultiOutputReceiver out) {
      String text = doc.getText();
      if (text == null) {
        try {
          text = TextFiles.readUpTo(doc.getFile(), Integer.MAX_VALUE, maxDecompressedBytes);
        } catch (CharacterCodingException e) {
          reject(doc, INVALID_ENCODING, "the file is not valid UTF-8", out);
          return;
        } catch (IOException e) {
          out.get(rejectTag)
              .output(
                  Rejects.of(
                      doc.getSampleId(),
                      doc.getSource(),
                      ReadReasons.STAGE,
                      ReadReasons.FILE_UNREADABLE,
                      e.getMessage()));
          return;
        }
      }
      if (text.isBlank()) {
        reject(doc, DecomposeReasons.EMPTY_TEXT, "the text is empty or white space only", out);
        return;
      }
      int[] ids;
      try {
        ids = tokenizer.encode(text);
      } catch (RuntimeException e) {
        out.get(rejectTag)
            .output(Rejects.ofError(doc.getSampleId(), doc.getSource(), DecomposeReasons.SPLIT, e));
        return;
      }
      List<Integer> list = new ArrayList<>(ids.length);
      for (int id : ids) {
        list.add(id);
      }
      out.get(tokensTag)
          .output(
              TokenizedDocument.newBuilder()
                  .setSampleId(doc.getSampleId())
                  .setSource(doc.getSource())
                  .setDocumentId(doc.getDocumentId())
                  .setTokens(list)
                  .build());
    }

    private void reject(TextDocument doc, String reason, String detail, MultiOutputReceiver out) {
      out.get(rejectTag)
          .output(
              Rejects.of(
                  doc.getSampleId(), doc.getSource(), DecomposeReasons.SPLIT, reason, detail));
    }
  }

  /** Places a range's documents at their global offsets and cuts them at sequence boundaries. */
  static final class PieceFn
      extends DoFn<KV<String, Iterable<TokenizedDocument>>, KV<Long, Piece>> {
    private final PCollectionView<Map<String, Long>> rangeTokens;
    private final int chunkLength;
    private final TupleTag<KV<Long, Piece>> pieceTag;
    private final TupleTag<Reject> tailTag;

    PieceFn(
        PCollectionView<Map<String, Long>> rangeTokens,
        int chunkLength,
        TupleTag<KV<Long, Piece>> pieceTag,
        TupleTag<Reject> tailTag) {
      this.rangeTokens = rangeTokens;
      this.chunkLength = chunkLength;
      this.pieceTag = pieceTag;
      this.tailTag = tailTag;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<TokenizedDocument>> range, ProcessContext c) {
      Map<String, Long> totals = new TreeMap<>(c.sideInput(rangeTokens));
      long start = 0;
      long all = 0;
      for (Map.Entry<String, Long> e : totals.entrySet()) {
        start += e.getKey().compareTo(range.getKey()) < 0 ? e.getValue() : 0;
        all += e.getValue();
      }
      long usable = all / chunkLength * chunkLength;
      List<TokenizedDocument> docs = new ArrayList<>();
      range.getValue().forEach(docs::add);
      docs.sort(Comparator.comparing(TokenizedDocument::getSampleId));
      long offset = start;
      for (TokenizedDocument d : docs) {
        List<Integer> t = d.getTokens();
        long end = offset + t.size();
        if (offset >= usable) {
          c.output(
              tailTag,
              Rejects.of(
                  d.getSampleId(),
                  d.getSource(),
                  DecomposeReasons.SPLIT,
                  DROPPED_TAIL,
                  "all "
                      + t.size()
                      + " tokens fall after the last full sequence of "
                      + chunkLength));
        }
        for (long from = offset; from < Math.min(end, usable); ) {
          long sequence = from / chunkLength;
          long to = Math.min(Math.min(end, usable), (sequence + 1) * chunkLength);
          int[] slice = new int[(int) (to - from)];
          for (int i = 0; i < slice.length; i++) {
            slice[i] = t.get((int) (from - offset) + i);
          }
          c.output(
              KV.of(
                  sequence,
                  new Piece(
                      sequence,
                      from - sequence * chunkLength,
                      d.getSampleId(),
                      d.getDocumentId(),
                      slice)));
          from = to;
        }
        offset = end;
      }
    }
  }

  /** Joins a sequence's pieces in order. */
  static final class AssembleFn extends DoFn<KV<Long, Iterable<Piece>>, DecomposedSequence> {
    private final int chunkLength;

    AssembleFn(int chunkLength) {
      this.chunkLength = chunkLength;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Iterable<Piece>> sequence, OutputReceiver<DecomposedSequence> out) {
      List<Piece> pieces = new ArrayList<>();
      sequence.getValue().forEach(pieces::add);
      pieces.sort(Comparator.comparingLong(Piece::position));
      List<Integer> tokens = new ArrayList<>(chunkLength);
      for (Piece p : pieces) {
        for (int t : p.tokens()) {
          tokens.add(t);
        }
      }
      Piece first = pieces.get(0);
      int bucket = 31 - Integer.numberOfLeadingZeros(chunkLength);
      out.output(
          DecomposedSequence.newBuilder()
              .setSampleId(SampleIds.of("concat-chunk@" + sequence.getKey()))
              .setSourceId(first.documentId())
              .setDocumentSampleId(first.documentSampleId())
              .setOffset(sequence.getKey() * chunkLength)
              .setLength(tokens.size())
              .setBucket(bucket)
              .setTokens(tokens)
              .build());
    }
  }
}
