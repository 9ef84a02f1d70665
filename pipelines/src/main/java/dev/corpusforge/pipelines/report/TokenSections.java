package dev.corpusforge.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Report sections of token pipelines: sequences and tokens per bucket, the token balance, attention
 * cost.
 */
final class TokenSections {
  private TokenSections() {}

  static void append(StringBuilder h, JsonNode manifest) {
    JsonNode tokens = manifest.path("tokens");
    if (!tokens.isMissingNode()) {
      h.append("<h2>Tokens</h2>\n<table>")
          .append(row("documents tokenised", tokens.path("documents_tokenised").asLong()))
          .append(row("tokens in (end-of-text included)", tokens.path("tokens_in").asLong()))
          .append(row("tokens out (in sequences)", tokens.path("tokens_out").asLong()));
      for (Iterator<Map.Entry<String, JsonNode>> it = tokens.path("tokens_dropped").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        h.append(row("dropped: " + e.getKey(), e.getValue().asLong()));
      }
      h.append("<tr><th>balance</th><td>")
          .append(
              tokens.path("balanced").asBoolean()
                  ? "<span class=good>exact: in = out + dropped</span>"
                  : "<span class=bad>FAILED</span>")
          .append("</td></tr></table>\n");
    }
    JsonNode buckets = manifest.path("buckets");
    if (buckets.size() > 0) {
      long max = 1;
      for (JsonNode b : buckets) {
        max = Math.max(max, b.path("tokens").asLong());
      }
      h.append(
          "<h2>Buckets</h2>\n<table><tr><th>length</th><th>sequences</th><th>tokens</th><th></th></tr>\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = buckets.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        long t = e.getValue().path("tokens").asLong();
        h.append("<tr><td class=n>")
            .append(HtmlReport.esc(e.getKey()))
            .append("</td><td class=n>")
            .append(e.getValue().path("sequences").asLong())
            .append("</td><td class=n>")
            .append(t)
            .append("</td><td>")
            .append(HtmlReport.bar(t, max))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    JsonNode baseline = manifest.path("concat_chunk");
    if (!baseline.isMissingNode()) {
      h.append("<h2>Concat-and-chunk</h2>\n<table>")
          .append(row("sequence length", baseline.path("sequence_length").asLong()))
          .append(row("sequences", baseline.path("sequences").asLong()))
          .append(
              row(
                  "sequences crossing a document boundary",
                  baseline.path("crossing_document_boundary").asLong()))
          .append("<tr><th>share crossing</th><td class=n>")
          .append(
              String.format(
                  Locale.ROOT, "%.1f%%", 100 * baseline.path("share_crossing").asDouble()))
          .append("</td></tr></table>\n");
    }
    JsonNode cost = manifest.path("attention_cost");
    if (!cost.isMissingNode()) {
      h.append(
              "<h2>Attention cost</h2>\n<p>Σ length² over the sequences, against the same tokens cut into sequences of ")
          .append(cost.path("baseline_length").asLong())
          .append(" (concat-and-chunk):</p>\n<table>")
          .append(row("decomposed", (long) cost.path("decomposed").asDouble()))
          .append(row("concat-and-chunk", (long) cost.path("concat_chunk").asDouble()))
          .append("<tr><th>ratio</th><td class=n>")
          .append(String.format(Locale.ROOT, "%.3f", cost.path("ratio").asDouble()))
          .append("</td></tr></table>\n");
    }
  }

  private static String row(String label, long value) {
    return "<tr><th>" + HtmlReport.esc(label) + "</th><td class=n>" + value + "</td></tr>";
  }
}
