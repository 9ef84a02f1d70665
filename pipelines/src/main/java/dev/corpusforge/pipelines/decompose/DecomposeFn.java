package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.core.read.ReadReasons.FILE_UNREADABLE;
import static dev.corpusforge.core.read.ReadReasons.INVALID_ENCODING;
import static dev.corpusforge.core.read.ReadReasons.STAGE;

import dev.corpusforge.annotators.decompose.DecomposeRule;
import dev.corpusforge.annotators.decompose.Decomposer;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import dev.corpusforge.schemas.TextDocument;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Tokenises a document (end-of-text appended) and splits it into power-of-two chunks ({@link
 * Decomposer}). A text file of up to {@code segmentChars} chars is read once and tokenised whole; a
 * longer one is streamed: read and tokenised {@code segmentChars} at a time (cut after a line
 * break), with chunks emitted as soon as they are decided, so memory stays bounded whatever the
 * document's size; it is read once first to check that it is valid UTF-8 and not blank, so a bad
 * file emits nothing. A document that yields no chunk is a reject; every document's token counts go
 * to the {@code tokens} output.
 */
final class DecomposeFn extends DoFn<TextDocument, TokenChunk> {

  private final DecomposeRule rule;
  private final DocumentTokenizer.Spec tokenizerSpec;
  private final int segmentChars;
  private final TupleTag<TokenChunk> chunkTag;
  private final TupleTag<Reject> rejectTag;
  private final TupleTag<DocumentTokens> tokensTag;
  private final TupleTag<ChunkInfo> infoTag;
  private final Counter documents = Metrics.counter(DecomposeReasons.SPLIT, "documents");
  private final Counter chunks = Metrics.counter(DecomposeReasons.SPLIT, "chunks");
  private transient DocumentTokenizer tokenizer;
  private transient Decomposer decomposer;

  DecomposeFn(
      DecomposeRule rule,
      DocumentTokenizer.Spec tokenizerSpec,
      int segmentChars,
      TupleTag<TokenChunk> chunkTag,
      TupleTag<Reject> rejectTag,
      TupleTag<DocumentTokens> tokensTag,
      TupleTag<ChunkInfo> infoTag) {
    this.rule = rule;
    this.tokenizerSpec = tokenizerSpec;
    this.segmentChars = segmentChars;
    this.chunkTag = chunkTag;
    this.rejectTag = rejectTag;
    this.tokensTag = tokensTag;
    this.infoTag = infoTag;
  }

  @Setup
  public void setup() throws IOException {
    tokenizer = tokenizerSpec.open();
    decomposer = new Decomposer(rule);
  }

  @ProcessElement
  public void process(@Element TextDocument doc, MultiOutputReceiver out) {
    documents.inc();
    try {
      if (doc.getText() != null) {
        splitText(doc, doc.getText(), out);
        return;
      }
      String small = TextFiles.readUpTo(doc.getFile(), segmentChars);
      if (small != null) {
        splitText(doc, small, out);
      } else if (!TextFiles.hasText(doc.getFile())) {
        reject(
            doc,
            DecomposeReasons.SPLIT,
            DecomposeReasons.EMPTY_TEXT,
            "the file is empty or white space only",
            out);
      } else {
        streamFile(doc, out);
      }
    } catch (CharacterCodingException e) {
      reject(doc, DecomposeReasons.SPLIT, INVALID_ENCODING, "the file is not valid UTF-8", out);
    } catch (IOException e) {
      reject(
          doc, STAGE, FILE_UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage(), out);
    } catch (RuntimeException e) {
      // a tokenizer failure rejects this document alone, never the job
      out.get(rejectTag)
          .output(Rejects.ofError(doc.getSampleId(), doc.getSource(), DecomposeReasons.SPLIT, e));
    }
  }

  /** A document held in memory: tokenised whole. */
  private void splitText(TextDocument doc, String text, MultiOutputReceiver out) {
    if (text.isBlank()) {
      reject(
          doc,
          DecomposeReasons.SPLIT,
          DecomposeReasons.EMPTY_TEXT,
          "the text is empty or white space only",
          out);
      return;
    }
    int[] tokens = tokenizer.encode(text);
    Emitter emitter = new Emitter(doc, out);
    emitter.add(tokens, tokens.length);
    emitter.finish();
  }

  private void streamFile(TextDocument doc, MultiOutputReceiver out) throws IOException {
    Emitter emitter = new Emitter(doc, out);
    StringBuilder pending = new StringBuilder();
    char[] buffer = new char[1 << 16];
    try (Reader reader = TextFiles.open(doc.getFile())) {
      for (int n; (n = reader.read(buffer)) > 0; ) {
        pending.append(buffer, 0, n);
        if (pending.length() >= segmentChars) {
          int cut = pending.lastIndexOf("\n") + 1;
          if (cut == 0) {
            cut = pending.length();
          }
          String segment = pending.substring(0, cut);
          pending.delete(0, cut);
          int[] tokens = tokenizer.encode(segment);
          emitter.add(tokens, tokens.length - 1); // no end-of-text between segments
        }
      }
    }
    int[] tokens = tokenizer.encode(pending.toString());
    emitter.add(tokens, tokens.length);
    emitter.finish();
  }

  private void reject(
      TextDocument doc, String stage, String reason, String detail, MultiOutputReceiver out) {
    out.get(rejectTag)
        .output(Rejects.of(doc.getSampleId(), doc.getSource(), stage, reason, detail));
  }

  /** Holds a document's undecided tokens and emits chunks as the cursor decides them. */
  private final class Emitter {
    private final TextDocument doc;
    private final MultiOutputReceiver out;
    private final Decomposer.Cursor cursor;
    private int[] buffer = new int[1 << 16];
    private int size;
    private long bufferStart;
    private long tokensIn;
    private long tokensOut;
    private int emitted;

    Emitter(TextDocument doc, MultiOutputReceiver out) {
      this.doc = doc;
      this.out = out;
      this.cursor = decomposer.cursor(doc.getSampleId());
    }

    void add(int[] tokens, int count) {
      if (size + count > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + count));
      }
      System.arraycopy(tokens, 0, buffer, size, count);
      size += count;
      tokensIn += count;
      drain(false);
    }

    void finish() {
      drain(true);
      long dropped = tokensIn - tokensOut;
      if (emitted == 0) {
        reject(
            doc,
            DecomposeReasons.SPLIT,
            DecomposeReasons.TOO_SHORT,
            tokensIn + " tokens, the smallest chunk needs " + rule.chunkLength(rule.minLog2()),
            out);
        out.get(tokensTag).output(new DocumentTokens(1, tokensIn, 0, 0, tokensIn));
      } else {
        out.get(tokensTag).output(new DocumentTokens(1, tokensIn, tokensOut, dropped, 0));
      }
    }

    private void drain(boolean complete) {
      long end = bufferStart + size;
      for (Decomposer.Chunk c = cursor.next(end - cursor.offset(), complete);
          c != null;
          c = cursor.next(end - cursor.offset(), complete)) {
        int from = (int) (c.offset() - bufferStart);
        String sampleId = SampleIds.of(doc.getSampleId() + "@" + c.offset());
        TokenChunk chunk =
            new TokenChunk(
                sampleId,
                doc.getDocumentId(),
                doc.getSampleId(),
                c.offset(),
                c.k(),
                Arrays.copyOfRange(buffer, from, from + c.length()));
        out.get(infoTag).output(chunk.info());
        out.get(chunkTag).output(chunk);
        tokensOut += c.length();
        emitted++;
        chunks.inc();
      }
      // drop the tokens already emitted from the front of the buffer
      int consumed = (int) (cursor.offset() - bufferStart);
      if (consumed > 0) {
        System.arraycopy(buffer, consumed, buffer, 0, size - consumed);
        size -= consumed;
        bufferStart += consumed;
      }
    }
  }
}
