package dev.corpusforge.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's semantic dedup section: the settings and counts of the manifest's {@code
 * semantic_dedup}, clusters by size, and a gallery of rejected duplicates beside their survivors.
 */
final class SemanticDedupSection {
  private SemanticDedupSection() {}

  static void append(StringBuilder h, JsonNode manifest, List<JsonNode> pairs) {
    JsonNode s = manifest.path("semantic_dedup");
    if (s.isMissingNode()) {
      return;
    }
    h.append("<h2>Semantic duplicates</h2>\n<table>");
    for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        continue;
      }
      h.append("<tr><th>")
          .append(HtmlReport.esc(e.getKey().replace('_', ' ')))
          .append("</th><td>")
          .append(HtmlReport.esc(e.getValue().asText()))
          .append("</td></tr>");
    }
    h.append("</table>\n<h3>Clusters by size</h3>\n<table>");
    HtmlReport.countRows(h, s.path("clusters_by_size"));
    h.append("</table>\n");
    if (pairs.isEmpty()) {
      return;
    }
    h.append("<h3>Rejected duplicates beside their survivors</h3>\n<div class=grid>\n");
    for (JsonNode p : pairs) {
      h.append("<div class=\"card wide\">")
          .append(HtmlReport.image(p.path("thumbnail").asText(null)))
          .append(HtmlReport.image(p.path("survivor_thumbnail").asText(null)))
          .append("<div>")
          .append(HtmlReport.esc(p.path("sample_id").asText()))
          .append(" → kept ")
          .append(HtmlReport.esc(p.path("survivor_id").asText()))
          .append(String.format(Locale.ROOT, " · cosine %.4f", p.path("similarity").asDouble()))
          .append("</div></div>\n");
    }
    h.append("</div>\n");
  }
}
