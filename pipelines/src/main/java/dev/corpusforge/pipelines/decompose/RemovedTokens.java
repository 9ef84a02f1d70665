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
 * <reason>}. Only the removed documents are tokenised here. Without a tokenizer ({@code
 * --no-removed-tokens}) only documents are counted.
 */
final class RemovedTokens implements DecideOnKeys.DroppedCounter<TextDocument>, Serializable {
  static final String DOCUMENTS = "removed_documents ";
  static final String TOKENS = "removed_tokens ";

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
    Map<String, Map<String, long[]>> byStage =
        new TreeMap<>(Comparator.comparingInt(RemovedTokens::order).thenComparing(s -> s));
    boolean tokens = false;
    for (Map.Entry<String, Long> e : sum.counts().entrySet()) {
      String name = e.getKey();
      boolean documents = name.startsWith(DOCUMENTS);
      if (!documents && !name.startsWith(TOKENS)) {
        continue;
      }
      tokens |= !documents;
      String[] stageReason =
          name.substring((documents ? DOCUMENTS : TOKENS).length()).split(" ", 2);
      byStage.computeIfAbsent(stageReason[0], k -> new TreeMap<>())
              .computeIfAbsent(stageReason[1], k -> new long[2])[documents ? 0 : 1] +=
          e.getValue();
    }
    if (byStage.isEmpty()) {
      return null;
    }
    ObjectNode removed = StatsLines.JSON.createObjectNode();
    for (Map.Entry<String, Map<String, long[]>> stage : byStage.entrySet()) {
      ObjectNode s = removed.putObject(stage.getKey());
      ObjectNode reasons = StatsLines.JSON.createObjectNode();
      long[] total = new long[2];
      for (Map.Entry<String, long[]> reason : stage.getValue().entrySet()) {
        ObjectNode r = reasons.putObject(reason.getKey()).put("documents", reason.getValue()[0]);
        if (tokens) {
          r.put("tokens", reason.getValue()[1]);
        }
        total[0] += reason.getValue()[0];
        total[1] += reason.getValue()[1];
      }
      s.put("documents", total[0]);
      if (tokens) {
        s.put("tokens", total[1]);
      }
      s.set("by_reason", reasons);
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
