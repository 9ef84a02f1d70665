package dev.corpusforge.core;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A copy of a generated Avro record that shares its field values, with some fields replaced: the
 * lighter record a step that reads only a few fields is handed (no image bytes for the dedup
 * decisions, no GraphML or prompt for the statistics), without copying what it keeps.
 */
public final class ShallowCopy {
  private ShallowCopy() {}

  /** {@code record}'s fields, those named in {@code replaced} with the values given there. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> T with(T record, Map<String, Object> replaced) {
    Schema schema = record.getSchema();
    T copy = (T) SpecificData.get().newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      copy.put(field.pos(), record.get(field.pos()));
    }
    replaced.forEach(
        (name, value) -> {
          Schema.Field field = schema.getField(name);
          if (field == null) {
            throw new IllegalArgumentException("no field '" + name + "' in " + schema.getName());
          }
          copy.put(field.pos(), value);
        });
    return copy;
  }
}
