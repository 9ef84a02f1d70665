package dev.corpusforge.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The caption field of a JSON sidecar ({@code key.json}), as img2dataset and WebDataset write it.
 */
final class JsonCaption {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonCaption() {}

  /** The caption text; null when the field is absent or null. Throws on malformed JSON. */
  static String extract(byte[] json, String field) throws IOException {
    JsonNode node = JSON.readTree(Blobs.caption(json));
    if (node == null || !node.isObject()) {
      throw new IOException("JSON sidecar is not an object");
    }
    JsonNode value = node.get(field);
    return value == null || value.isNull()
        ? null
        : value.isTextual() ? value.asText() : value.toString();
  }
}
