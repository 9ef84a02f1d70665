package dev.corpusforge.annotators.decompose;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a document's text into token ids with the end-of-text id appended. Either a BPE encoding
 * bundled with JTokkit ({@code cl100k_base}, {@code o200k_base}, {@code p50k_base}, {@code
 * r50k_base}) or a Hugging Face {@code tokenizer.json} by path (DJL's binding); nothing is
 * downloaded. Made on the driver as a {@link Spec}, opened on each worker.
 */
public interface DocumentTokenizer extends AutoCloseable {
  /**
   * Token ids of {@code text}, special-token text encoded as ordinary text, then the end-of-text
   * id.
   */
  int[] encode(String text);

  int endOfText();

  @Override
  default void close() {}

  /**
   * Which tokenizer, and its end-of-text id (null: the tokenizer's own).
   *
   * @param name a JTokkit encoding name, or a path to a {@code tokenizer.json}
   */
  record Spec(String name, Integer endOfTextId) implements Serializable {
    /** End-of-text ids of the bundled encodings (tiktoken's {@code <|endoftext|>}). */
    static final Map<String, Integer> BPE_END_OF_TEXT =
        Map.of(
            "cl100k_base",
            100257,
            "o200k_base",
            199999,
            "p50k_base",
            50256,
            "p50k_edit",
            50256,
            "r50k_base",
            50256);

    /**
     * Bundled encodings built so far in this JVM: building one takes a fraction of a second, and
     * the driver and the workers of an embedded run share the JVM. JTokkit's encodings are
     * immutable and safe to share between threads.
     */
    private static final Map<EncodingType, com.knuddels.jtokkit.api.Encoding> BUILT =
        new java.util.concurrent.ConcurrentHashMap<>();

    public boolean bundled() {
      return BPE_END_OF_TEXT.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Opens the tokenizer; fails with a clear message for an unknown name or an unusable file. */
    public DocumentTokenizer open() throws IOException {
      if (bundled()) {
        String n = name.toLowerCase(Locale.ROOT);
        Optional<EncodingType> type = EncodingType.fromName(n);
        if (type.isEmpty()) {
          throw new IllegalArgumentException("JTokkit has no encoding " + name);
        }
        return new Bpe(
            BUILT.computeIfAbsent(
                type.get(), t -> Encodings.newLazyEncodingRegistry().getEncoding(t)),
            endOfTextId != null ? endOfTextId : BPE_END_OF_TEXT.get(n));
      }
      Path file = Path.of(name);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "--tokenizer "
                + name
                + " is neither a bundled encoding "
                + BPE_END_OF_TEXT.keySet().stream().sorted().toList()
                + " nor a tokenizer.json file");
      }
      HuggingFaceTokenizer hf =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(file)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
      Integer eot = endOfTextId != null ? endOfTextId : HfTokenizer.findEndOfText(hf);
      if (eot == null) {
        hf.close();
        throw new IllegalArgumentException(
            name
                + " has none of the usual end-of-text tokens (<|endoftext|>, </s>, <eos>, [SEP]); give its id with --eot-id");
      }
      return new HfTokenizer(hf, eot);
    }
  }

  /** A JTokkit encoding. */
  final class Bpe implements DocumentTokenizer {
    private final com.knuddels.jtokkit.api.Encoding encoding;
    private final int eot;

    Bpe(com.knuddels.jtokkit.api.Encoding encoding, int eot) {
      this.encoding = encoding;
      this.eot = eot;
    }

    @Override
    public int[] encode(String text) {
      var ids = encoding.encodeOrdinary(text);
      int[] out = new int[ids.size() + 1];
      for (int i = 0; i < ids.size(); i++) {
        out[i] = ids.get(i);
      }
      out[out.length - 1] = eot;
      return out;
    }

    @Override
    public int endOfText() {
      return eot;
    }
  }

  /** A Hugging Face tokenizer.json. */
  final class HfTokenizer implements DocumentTokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final int eot;

    HfTokenizer(HuggingFaceTokenizer tokenizer, int eot) {
      this.tokenizer = tokenizer;
      this.eot = eot;
    }

    static Integer findEndOfText(HuggingFaceTokenizer tokenizer) {
      for (String candidate : new String[] {"<|endoftext|>", "</s>", "<eos>", "[SEP]"}) {
        Encoding e = tokenizer.encode(candidate, false, false);
        if (e.getIds().length == 1 && candidate.equals(e.getTokens()[0])) {
          return (int) e.getIds()[0];
        }
      }
      return null;
    }

    @Override
    public int[] encode(String text) {
      long[] ids = tokenizer.encode(text, false, false).getIds();
      int[] out = new int[ids.length + 1];
      for (int i = 0; i < ids.length; i++) {
        out[i] = (int) ids[i];
      }
      out[ids.length] = eot;
      return out;
    }

    @Override
    public int endOfText() {
      return eot;
    }

    @Override
    public void close() {
      tokenizer.close();
    }
  }
}
