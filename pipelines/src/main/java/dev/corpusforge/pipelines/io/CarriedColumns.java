package dev.corpusforge.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.schemas.InputColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Input columns a record carries to its row ({@code columns}: {@code --keep-columns}, {@code
 * --filter-col}, {@code --uid-col}), from a URL list's row or a JSON sidecar. Text is copied as
 * written; numbers, booleans, objects and lists as their JSON text; a column the input lacks is
 * null, so every carried name is in the list, in the order the flags name them.
 */
public final class CarriedColumns {
  private CarriedColumns() {}

  /** The {@code names} looked up in {@code values}; null when no column is carried. */
  static List<InputColumn> of(List<String> names, Function<String, Object> values) {
    if (names.isEmpty()) {
      return null;
    }
    List<InputColumn> columns = new ArrayList<>(names.size());
    for (String name : names) {
      columns.add(new InputColumn(name, text(values.apply(name))));
    }
    return columns;
  }

  /** The value of column {@code name} among {@code columns}; null when absent or without one. */
  public static String value(List<InputColumn> columns, String name) {
    if (columns != null) {
      for (InputColumn c : columns) {
        if (c.getName().equals(name)) {
          return c.getValue();
        }
      }
    }
    return null;
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
