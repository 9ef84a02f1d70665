package dev.corpusforge.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Input columns a record carries to its row ({@code columns}: {@code --keep-columns}, {@code
 * --filter-col}, {@code --uid-col}), from a URL list's row or a JSON sidecar. Text is copied as
 * written; numbers, booleans, objects and lists as their JSON text; a column the input lacks is
 * null, so every carried name is in the map.
 */
public final class CarriedColumns {
  private CarriedColumns() {}

  /** The {@code names} looked up in {@code values}; null when no column is carried. */
  static Map<String, String> of(List<String> names, Function<String, Object> values) {
    if (names.isEmpty()) {
      return null;
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (String name : names) {
      columns.put(name, text(values.apply(name)));
    }
    return columns;
  }

  /** A value as text: null for absent or JSON null, a JSON string's text, else its JSON or text. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonNode node) {
      return node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
    }
    return value.toString();
  }
}
