package dev.corpusforge.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.run.RunStats;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The run report: one self-contained HTML page (no scripts, no network; images inline as data URIs)
 * with the counts by stage and reason, the histograms, and previews of kept and rejected samples
 * with their reasons.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(String pipeline, JsonNode manifest, RunStats stats) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>corpusforge ")
        .append(esc(pipeline))
        .append(" report</title>\n<style>\n")
        .append(
            "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}")
        .append(
            "table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append(
            ".bar{background:#4a7fb5;height:.9em;display:inline-block}.bad{color:#b00}.good{color:#070}")
        .append(
            ".grid{display:flex;flex-wrap:wrap;gap:12px}.card{width:180px;font-size:.8em;border:1px solid #ddd;padding:6px;overflow-wrap:anywhere}")
        .append(
            ".card img{max-width:168px;max-height:168px;display:block;margin:auto}.card.wide{width:500px}.card.wide img{max-width:488px;max-height:488px}.caption{white-space:pre-line}.reason{font-weight:bold;color:#a40}.noimg{height:60px;background:#eee;text-align:center;line-height:60px;color:#888}")
        .append("\n</style></head><body>\n");
    h.append("<h1>corpusforge · ").append(esc(pipeline)).append("</h1>\n");
    h.append("<p>Run <code>")
        .append(esc(manifest.path("run_id").asText()))
        .append("</code>, ")
        .append(esc(manifest.path("started_at").asText()))
        .append(" → ")
        .append(esc(manifest.path("finished_at").asText()))
        .append(", runner ")
        .append(esc(manifest.path("runner").asText()))
        .append(".</p>\n");

    h.append("<h2>Counts</h2>\n<table><tr><th>inputs</th><td class=n>")
        .append(stats.inputs)
        .append("</td></tr>")
        .append("<tr><th>kept</th><td class=n>")
        .append(stats.kept)
        .append("</td></tr>")
        .append("<tr><th>rejected</th><td class=n>")
        .append(stats.rejected)
        .append("</td></tr>")
        .append("<tr><th>accounting</th><td>")
        .append(
            stats.balanced()
                ? "<span class=good>balanced: kept + rejected = inputs</span>"
                : "<span class=bad>FAILED: " + esc(stats.violations.toString()) + "</span>")
        .append("</td></tr></table>\n");

    h.append(
        "<h2>Rejected by stage and reason</h2>\n<table><tr><th>stage</th><th>reason</th><th>count</th><th></th></tr>\n");
    long max = 1;
    for (Map<String, Long> reasons : stats.rejectCounts.values()) {
      for (long n : reasons.values()) {
        max = Math.max(max, n);
      }
    }
    for (Map.Entry<String, Map<String, Long>> stage : stats.rejectCounts.entrySet()) {
      for (Map.Entry<String, Long> reason : stage.getValue().entrySet()) {
        h.append("<tr><td>")
            .append(esc(stage.getKey()))
            .append("</td><td><code>")
            .append(esc(reason.getKey()))
            .append("</code></td><td class=n>")
            .append(reason.getValue())
            .append("</td><td>")
            .append(bar(reason.getValue(), max))
            .append("</td></tr>\n");
      }
    }
    h.append("</table>\n");

    TokenSections.append(h, manifest);
    RawCorpusSection.append(h, manifest, stats.rejectPreviews);

    for (JsonNode histogram : stats.histograms.values()) {
      h.append("<h2>")
          .append(esc(histogram.path("name").asText().replace('_', ' ')))
          .append(" (kept)</h2>\n<table>");
      JsonNode edges = histogram.path("edges");
      JsonNode counts = histogram.path("counts");
      long hmax = 1;
      for (JsonNode c : counts) {
        hmax = Math.max(hmax, c.asLong());
      }
      for (int i = 0; i < counts.size(); i++) {
        String label =
            i + 1 < edges.size()
                ? num(edges.get(i)) + " – " + num(edges.get(i + 1))
                : "≥ " + num(edges.get(i));
        h.append("<tr><td>")
            .append(esc(label))
            .append("</td><td class=n>")
            .append(counts.get(i).asLong())
            .append("</td><td>")
            .append(bar(counts.get(i).asLong(), hmax))
            .append("</td></tr>");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Kept samples</h2>\n<div class=grid>\n");
    for (JsonNode p : stats.keptPreviews) {
      h.append(p.path("wide").asBoolean() ? "<div class=\"card wide\">" : "<div class=card>")
          .append(image(p))
          .append("<div class=caption>")
          .append(esc(p.path("caption").asText()))
          .append("</div><div>");
      if (p.has("facts")) {
        h.append(esc(p.path("facts").asText()));
      } else {
        h.append(p.path("width").asInt())
            .append("×")
            .append(p.path("height").asInt())
            .append(" · ")
            .append(esc(p.path("language").asText()))
            .append(
                p.has("filip_score")
                    ? String.format(
                        java.util.Locale.ROOT,
                        " · clip %.3f · filip %.3f",
                        p.path("clip_score").asDouble(),
                        p.path("filip_score").asDouble())
                    : "");
      }
      h.append("</div><div><small>")
          .append(esc(p.path("sample_id").asText()))
          .append("</small></div></div>\n");
    }
    h.append("</div>\n<h2>Rejected samples</h2>\n<div class=grid>\n");
    for (JsonNode p : stats.rejectPreviews) {
      h.append("<div class=card>")
          .append(image(p))
          .append("<div class=reason>")
          .append(esc(p.path("stage").asText()))
          .append(" / ")
          .append(esc(p.path("reason").asText()))
          .append("</div><div>")
          .append(esc(abbreviate(p.path("detail").asText(), 160)))
          .append("</div><div><small>")
          .append(esc(abbreviate(p.path("source").asText(), 120)))
          .append("</small></div></div>\n");
    }
    h.append("</div>\n");
    SemanticDedupSection.append(h, manifest, stats.semanticPairs);
    List<String> exportNames = List.copyOf(stats.exports.keySet());
    if (!exportNames.isEmpty()) {
      h.append("<h2>Exports</h2>\n<table>");
      for (String format : exportNames) {
        long samples = 0;
        for (JsonNode f : stats.exports.get(format)) {
          samples += f.path("samples").asLong();
        }
        h.append("<tr><td>")
            .append(esc(format))
            .append("</td><td class=n>")
            .append(stats.exports.get(format).size())
            .append(" files</td><td class=n>")
            .append(samples)
            .append(" samples</td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String image(JsonNode preview) {
    return image(preview.path("thumbnail").asText(null));
  }

  /** A base64 JPEG thumbnail as an image, or a box saying there is none. */
  static String image(String thumb) {
    if (thumb == null || thumb.isEmpty()) {
      return "<div class=noimg>no preview</div>";
    }
    return "<img alt=\"\" src=\"data:image/jpeg;base64," + thumb + "\">";
  }

  /** One table row per field of {@code counts}: its name, its count and a bar to scale. */
  static void countRows(StringBuilder h, JsonNode counts) {
    long max = 1;
    for (JsonNode n : counts) {
      max = Math.max(max, n.asLong());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      h.append("<tr><td class=n>")
          .append(esc(e.getKey()))
          .append("</td><td class=n>")
          .append(e.getValue().asLong())
          .append("</td><td>")
          .append(bar(e.getValue().asLong(), max))
          .append("</td></tr>\n");
    }
  }

  static String bar(long value, long max) {
    int width = (int) Math.round(300.0 * value / max);
    return "<span class=bar style=\"width:" + width + "px\"></span>";
  }

  private static String num(JsonNode n) {
    double d = n.asDouble();
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  static String esc(String s) {
    return StringEscapeUtils.escapeHtml4(s == null ? "" : s);
  }
}
