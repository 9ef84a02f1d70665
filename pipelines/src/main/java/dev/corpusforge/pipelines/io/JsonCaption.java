package dev.corpusforge.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.schemas.InputColumn;
import java.io.IOException;
import java.util.List;

/**
 * The caption field of a JSON sidecar ({@code key.json}), as img2dataset and WebDataset write it,
 * and the fields a run carries into its records ({@link CarriedColumns}).
 */
final class JsonCaption {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonCaption() {}

  /** A sidecar's caption (null when the field is absent or null) and carried fields. */
  record Sidecar(String caption, List<InputColumn> columns) {}

  /** The caption and the {@code carried} fields. Throws on malformed JSON. */
  static Sidecar read(byte[] json, String field, List<String> carried) throws IOException {
    JsonNode node = JSON.readTree(Blobs.caption(json));
    if (node == null || !node.isObject()) {
      throw new IOException("JSON sidecar is not an object");
    }
    return new Sidecar(CarriedColumns.text(node.get(field)), CarriedColumns.of(carried, node::get));
  }
}
