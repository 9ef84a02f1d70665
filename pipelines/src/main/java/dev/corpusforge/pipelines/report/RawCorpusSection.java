package dev.corpusforge.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's section on what the steps before tokenising removed (decompose's quality rules,
 * decontamination and dedup): documents and tokens by stage and reason, each against the tokens
 * read, with examples of each reason; and the near-duplicate clusters by size.
 */
final class RawCorpusSection {
  private static final int EXAMPLE_CHARS = 300;

  private RawCorpusSection() {}

  static void append(StringBuilder h, JsonNode manifest, List<? extends JsonNode> rejectPreviews) {
    JsonNode removed = manifest.path("removed");
    if (removed.isMissingNode()) {
      return;
    }
    long read = removed.path("tokens_read").asLong();
    boolean tokens = removed.has("tokens_read");
    h.append("<h2>Removed before tokenising</h2>\n<p>");
    if (tokens) {
      h.append("Of ")
          .append(read)
          .append(
              " tokens read (those tokenised plus those removed here: documents, and C4's lines), by stage and reason:");
    } else {
      h.append("Documents by stage and reason (tokens not counted: --no-removed-tokens):");
    }
    h.append("</p>\n<table><tr><th>stage</th><th>reason</th><th>documents</th>")
        .append(tokens ? "<th>tokens</th><th>share of tokens read</th>" : "")
        .append("<th></th></tr>\n");
    long max = 1;
    for (JsonNode stage : removed) {
      for (JsonNode r : stage.path("by_reason")) {
        max = Math.max(max, r.path(tokens ? "tokens" : "documents").asLong());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> s = removed.fields(); s.hasNext(); ) {
      Map.Entry<String, JsonNode> stage = s.next();
      if (!stage.getValue().isObject()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> r = stage.getValue().path("by_reason").fields();
          r.hasNext(); ) {
        Map.Entry<String, JsonNode> reason = r.next();
        row(h, stage.getKey(), reason.getKey(), reason.getValue(), tokens, read, max);
      }
      row(h, stage.getKey(), "all", stage.getValue(), tokens, read, 0);
    }
    h.append("</table>\n");
    appendClusters(h, manifest.path("near_duplicates"));
    appendExamples(h, removed, rejectPreviews);
  }

  private static void row(
      StringBuilder h,
      String stage,
      String reason,
      JsonNode counts,
      boolean tokens,
      long read,
      long max) {
    boolean total = max == 0;
    h.append(total ? "<tr><th>" : "<tr><td>")
        .append(HtmlReport.esc(stage))
        .append(total ? "</th><th>" : "</td><td><code>")
        .append(HtmlReport.esc(reason))
        .append(total ? "</th>" : "</code></td>")
        .append("<td class=n>")
        .append(
            counts.has("documents_changed")
                ? counts.path("documents_changed").asLong() + " kept, shortened"
                : String.valueOf(counts.path("documents").asLong()))
        .append("</td>");
    if (tokens) {
      long t = counts.path("tokens").asLong();
      h.append("<td class=n>")
          .append(t)
          .append("</td><td class=n>")
          .append(String.format(Locale.ROOT, "%.2f%%", read == 0 ? 0.0 : 100.0 * t / read))
          .append("</td>");
    }
    h.append("<td>")
        .append(
            total ? "" : HtmlReport.bar(counts.path(tokens ? "tokens" : "documents").asLong(), max))
        .append("</td></tr>\n");
  }

  private static void appendClusters(StringBuilder h, JsonNode clusters) {
    if (clusters.isMissingNode()) {
      return;
    }
    h.append("<h3>Near-duplicate clusters</h3>\n<p>")
        .append(clusters.path("clusters").asLong())
        .append(" clusters; ")
        .append(clusters.path("documents_removed").asLong())
        .append(
            " documents removed as dup_near (each cluster keeps its smallest sample id).</p>\n<table><tr><th>documents in the cluster</th><th>clusters</th><th></th></tr>\n");
    HtmlReport.countRows(h, clusters.path("clusters_by_size"));
    h.append("</table>\n");
  }

  /** The reject previews of the stages above, in their order, by reason. */
  private static void appendExamples(
      StringBuilder h, JsonNode removed, List<? extends JsonNode> previews) {
    StringBuilder rows = new StringBuilder();
    for (Iterator<String> stages = removed.fieldNames(); stages.hasNext(); ) {
      String stage = stages.next();
      for (JsonNode p : previews) {
        if (!stage.equals(p.path("stage").asText())) {
          continue;
        }
        String detail = p.path("detail").asText();
        rows.append("<tr><td><code>")
            .append(HtmlReport.esc(p.path("reason").asText()))
            .append("</code></td><td>")
            .append(
                HtmlReport.esc(
                    detail.length() <= EXAMPLE_CHARS
                        ? detail
                        : detail.substring(0, EXAMPLE_CHARS) + "…"))
            .append("</td><td><small>")
            .append(HtmlReport.esc(p.path("source").asText()))
            .append("</small></td></tr>\n");
      }
    }
    if (rows.length() > 0) {
      h.append(
              "<h3>Examples by reason</h3>\n<table><tr><th>reason</th><th>detail</th><th>source</th></tr>\n")
          .append(rows)
          .append("</table>\n");
    }
  }
}
