package dev.corpusforge.pipelines.decompose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.read.Decompression;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.filters.decontamination.NGramIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The evaluation texts of {@code --decontaminate}, read when the run is planned: every JSON-lines
 * row is one text (its string values, nested ones too, joined by new lines; named {@code
 * file#row}), any other file is one text (named by its file). Local or s3://, compressed or not.
 */
final class EvalTexts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvalTexts() {}

  static NGramIndex index(List<String> patterns, int n, long maxBytes) {
    List<Map.Entry<String, String>> texts = new ArrayList<>();
    try {
      for (String pattern : patterns) {
        MatchResult match = FileSystems.match(pattern);
        if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
          throw new IllegalArgumentException("--decontaminate " + pattern + " matches no file");
        }
        for (MatchResult.Metadata file : match.metadata()) {
          read(file, maxBytes, texts);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--decontaminate: " + e.getMessage(), e);
    }
    return NGramIndex.of(n, texts);
  }

  private static void read(
      MatchResult.Metadata file, long maxBytes, List<Map.Entry<String, String>> texts)
      throws IOException {
    String path = file.resourceId().toString();
    String name = file.resourceId().getFilename();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Decompression.open(file.resourceId(), maxBytes), StandardCharsets.UTF_8))) {
      if (TableFiles.formatOf(path) != TableFiles.Format.JSONL) {
        StringBuilder all = new StringBuilder();
        for (String line; (line = reader.readLine()) != null; ) {
          all.append(line).append('\n');
        }
        texts.add(new AbstractMap.SimpleEntry<>(name, all.toString()));
        return;
      }
      int row = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        row++;
        StringBuilder text = new StringBuilder();
        strings(JSON.readTree(line), text);
        texts.add(new AbstractMap.SimpleEntry<>(name + "#" + row, text.toString()));
      }
    }
  }

  private static void strings(JsonNode node, StringBuilder out) {
    if (node.isTextual()) {
      out.append(node.asText()).append('\n');
    } else if (node.isContainerNode()) {
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        strings(it.next(), out);
      }
    }
  }
}
