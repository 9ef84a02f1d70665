package dev.corpusforge.pipelines.decompose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.dedup.DecideOnKeys;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.TextDocument;
import java.io.IOException;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the steps before tokenising (quality, decontamination, dedup) removed: one document, and,
 * with a tokenizer, its tokens as the split stage would have counted them (end-of-text included),
 * tallied under {@code removed_documents <stage> <reason>} and {@code removed_tokens <stage>
 * <reason>}; a document kept with part of its text removed (C4's lines) under {@code
 * changed_documents} and the tokens it lost. Only the removed documents are tokenised here. Without
 * a tokenizer ({@code --no-removed-tokens}) only documents are counted.
 */
final class RemovedTokens implements DecideOnKeys.DroppedCounter<TextDocument>, Serializable {
  static final String DOCUMENTS = "removed_documents ";
  static final String TOKENS = "removed_tokens ";
  static final String CHANGED = "changed_documents ";

  private final DocumentTokenizer.Spec tokenizerSpec;
  private final int maxChars;
  private final long maxDecompressedBytes;
  private transient DocumentTokenizer tokenizer;

  /** {@code tokenizerSpec} null: documents only. */
  RemovedTokens(DocumentTokenizer.Spec tokenizerSpec, int maxChars, long maxDecompressedBytes) {
    this.tokenizerSpec = tokenizerSpec;
    this.maxChars = maxChars;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  @Override
  public void setup() throws IOException {
    if (tokenizerSpec != null && tokenizer == null) {
      tokenizer = tokenizerSpec.open();
    }
  }

  @Override
  public void teardown() {
    if (tokenizer != null) {
      tokenizer.close();
      tokenizer = null;
    }
  }

  /** The tally of {@code text}, removed by {@code stage} for {@code reason}. */
  Tally of(String stage, String reason, String text) {
    Tally t = Tally.of(DOCUMENTS + stage + " " + reason, 1);
    if (tokenizer != null && text != null) {
      t.add(TOKENS + stage + " " + reason, tokenizer.encode(text).length);
    }
    return t;
  }

  /**
   * A document kept with part of its text removed by {@code stage} ({@code what}: C4's lines): the
   * tokens of {@code before} that {@code after} no longer has.
   */
  Tally changed(String stage, String what, String before, String after) {
    Tally t = Tally.of(CHANGED + stage + " " + what, 1);
    if (tokenizer != null) {
      t.add(
          TOKENS + stage + " " + what,
          tokenizer.encode(before).length - tokenizer.encode(after).length);
    }
    return t;
  }

  /** A document a dedup decision dropped: its text read again (a file's, up to the limits). */
  @Override
  public Tally count(TextDocument doc, Reject reject) {
    String text =
        tokenizer == null ? null : TextFiles.wholeText(doc, maxChars, maxDecompressedBytes);
    return of(reject.getStage(), reject.getReason(), text);
  }

  /**
   * The manifest's {@code removed} section from the run's summed tallies: documents (and tokens,
   * when counted) by stage, in the pipeline's order, and by reason within a stage; null when
   * nothing was removed.
   */
  static String manifestLine(Tally sum) {
    // stage → reason → {documents removed, tokens, documents changed}
    Map<String, Map<String, long[]>> byStage =
        new TreeMap<>(Comparator.comparingInt(RemovedTokens::order).thenComparing(s -> s));
    boolean tokens = false;
    for (Map.Entry<String, Long> e : sum.counts().entrySet()) {
      String name = e.getKey();
      int field =
          name.startsWith(DOCUMENTS)
              ? 0
              : name.startsWith(TOKENS) ? 1 : name.startsWith(CHANGED) ? 2 : -1;
      if (field < 0) {
        continue;
      }
      tokens |= field == 1;
      String[] stageReason = name.substring(name.indexOf(' ') + 1).split(" ", 2);
      byStage.computeIfAbsent(stageReason[0], k -> new TreeMap<>())
              .computeIfAbsent(stageReason[1], k -> new long[3])[field] +=
          e.getValue();
    }
    if (byStage.isEmpty()) {
      return null;
    }
    ObjectNode removed = StatsLines.JSON.createObjectNode();
    long removedTokens = 0;
    for (Map.Entry<String, Map<String, long[]>> stage : byStage.entrySet()) {
      ObjectNode s = removed.putObject(stage.getKey());
      ObjectNode reasons = StatsLines.JSON.createObjectNode();
      long[] total = new long[2];
      for (Map.Entry<String, long[]> reason : stage.getValue().entrySet()) {
        long[] n = reason.getValue();
        ObjectNode r = reasons.putObject(reason.getKey());
        if (n[2] > 0) {
          r.put("documents_changed", n[2]);
        } else {
          r.put("documents", n[0]);
        }
        if (tokens) {
          r.put("tokens", n[1]);
        }
        total[0] += n[0];
        total[1] += n[1];
      }
      s.put("documents", total[0]);
      if (tokens) {
        s.put("tokens", total[1]);
      }
      s.set("by_reason", reasons);
      removedTokens += total[1];
    }
    if (tokens) {
      // every token of every document read: tokenised, or removed here
      removed.put("tokens_read", sum.get(SplitDocument.TOKENS_IN) + removedTokens);
    }
    return StatsLines.manifest("removed", removed);
  }

  /** The pipeline's order of the steps that remove documents before tokenising. */
  private static int order(String stage) {
    return switch (stage) {
      case QualityStep.STAGE -> 0;
      case DecontaminateStep.STAGE -> 1;
      default -> 2;
    };
  }
}
