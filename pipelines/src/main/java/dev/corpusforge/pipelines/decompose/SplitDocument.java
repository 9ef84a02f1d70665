package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.core.read.ReadReasons.FILE_UNREADABLE;
import static dev.corpusforge.core.read.ReadReasons.INVALID_ENCODING;

import dev.corpusforge.annotators.decompose.DecomposeRule;
import dev.corpusforge.annotators.decompose.Decomposer;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.FlatStep;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Tally;
import dev.corpusforge.schemas.SampleIds;
import dev.corpusforge.schemas.TextDocument;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Tokenises a document (end-of-text appended) and splits it into power-of-two chunks ({@link
 * Decomposer}). A text file of up to {@code segmentChars} chars is read once and tokenised whole; a
 * longer one is streamed: read and tokenised {@code segmentChars} at a time (cut after a line
 * break), with chunks emitted as soon as they are decided, so memory stays bounded whatever the
 * document's size; it is read once first to check that it is valid UTF-8 and not blank, so a bad
 * file emits nothing. A document that yields no chunk is dropped {@code too_short}; every tokenised
 * document's token counts are tallied ({@link #tokens}).
 */
final class SplitDocument implements FlatStep<TextDocument, TokenChunk> {
  /** A document's identity for its reject row. */
  static final RecordIdentity<TextDocument> IDENTITY =
      RecordIdentity.of(TextDocument::getSampleId, TextDocument::getSource);

  /** Tally names: documents tokenised, their tokens, tokens in chunks, and dropped by reason. */
  static final String DOCUMENTS = "documents";

  static final String TOKENS_IN = "tokens_in";
  static final String TOKENS_OUT = "tokens_out";

  private final DecomposeRule rule;
  private final DocumentTokenizer.Spec tokenizerSpec;
  private final int segmentChars;
  private final long maxDecompressedBytes;
  private transient DocumentTokenizer tokenizer;
  private transient Decomposer decomposer;

  SplitDocument(
      DecomposeRule rule,
      DocumentTokenizer.Spec tokenizerSpec,
      int segmentChars,
      long maxDecompressedBytes) {
    this.rule = rule;
    this.tokenizerSpec = tokenizerSpec;
    this.segmentChars = segmentChars;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  @Override
  public void setup() throws IOException {
    tokenizer = tokenizerSpec.open();
    decomposer = new Decomposer(rule);
  }

  @Override
  public void teardown() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Override
  public Outcome<?> apply(TextDocument doc, Consumer<TokenChunk> out) {
    try {
      if (doc.getText() != null) {
        return splitText(doc, doc.getText(), out);
      }
      String small = TextFiles.readUpTo(doc.getFile(), segmentChars, maxDecompressedBytes);
      if (small != null) {
        return splitText(doc, small, out);
      }
      if (!TextFiles.hasText(doc.getFile(), maxDecompressedBytes)) {
        return Outcome.drop(DecomposeReasons.EMPTY_TEXT, "the file is empty or white space only");
      }
      return streamFile(doc, out);
    } catch (CharacterCodingException e) {
      return Outcome.drop(INVALID_ENCODING, "the file is not valid UTF-8");
    } catch (IOException e) {
      return Outcome.drop(FILE_UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The token counts of one document, summed over the run by the manifest's tokens section. */
  static DocumentTokens tokens(Tally t) {
    return new DocumentTokens(
        t.get(DOCUMENTS),
        t.get(TOKENS_IN),
        t.get(TOKENS_OUT),
        t.get(DecomposeReasons.DROPPED_TAIL),
        t.get(DecomposeReasons.TOO_SHORT));
  }

  /** A document held in memory: tokenised whole. */
  private Outcome<?> splitText(TextDocument doc, String text, Consumer<TokenChunk> out) {
    if (text.isBlank()) {
      return Outcome.drop(DecomposeReasons.EMPTY_TEXT, "the text is empty or white space only");
    }
    int[] tokens = tokenizer.encode(text);
    Emitter emitter = new Emitter(doc, out);
    emitter.add(tokens, tokens.length);
    return emitter.finish();
  }

  private Outcome<?> streamFile(TextDocument doc, Consumer<TokenChunk> out) throws IOException {
    Emitter emitter = new Emitter(doc, out);
    StringBuilder pending = new StringBuilder();
    char[] buffer = new char[1 << 16];
    try (Reader reader = TextFiles.open(doc.getFile(), maxDecompressedBytes)) {
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
    return emitter.finish();
  }

  private static final int[] EMPTY = new int[0];

  /** Holds a document's undecided tokens and emits chunks as the cursor decides them. */
  private final class Emitter {
    private final TextDocument doc;
    private final Consumer<TokenChunk> out;
    private final Decomposer.Cursor cursor;
    private int[] buffer = EMPTY;
    private int size;
    private long bufferStart;
    private long tokensIn;
    private long tokensOut;
    private int emitted;

    Emitter(TextDocument doc, Consumer<TokenChunk> out) {
      this.doc = doc;
      this.out = out;
      this.cursor = decomposer.cursor(doc.getSampleId());
    }

    /** Takes the first {@code count} of {@code tokens}; the array is the emitter's from then on. */
    void add(int[] tokens, int count) {
      if (size == 0) {
        buffer = tokens; // a whole document's tokens (most documents) taken as they are
      } else {
        if (size + count > buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + count));
        }
        System.arraycopy(tokens, 0, buffer, size, count);
      }
      size += count;
      tokensIn += count;
      drain(false);
    }

    Outcome<?> finish() {
      drain(true);
      Tally counted = Tally.of(DOCUMENTS, 1).add(TOKENS_IN, tokensIn);
      if (emitted == 0) {
        return Outcome.drop(
                DecomposeReasons.TOO_SHORT,
                tokensIn + " tokens, the smallest chunk needs " + rule.chunkLength(rule.minLog2()))
            .counting(counted.add(DecomposeReasons.TOO_SHORT, tokensIn));
      }
      return Outcome.emitted()
          .counting(
              counted
                  .add(TOKENS_OUT, tokensOut)
                  .add(DecomposeReasons.DROPPED_TAIL, tokensIn - tokensOut));
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
        out.accept(chunk);
        tokensOut += c.length();
        emitted++;
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
