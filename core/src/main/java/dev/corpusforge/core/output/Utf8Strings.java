package dev.corpusforge.core.output;

import java.util.AbstractList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

/**
 * A record as Parquet's Avro writer reads it fastest: every string, at any depth, handed over as
 * {@link Utf8}. The writer takes a {@code Utf8}'s bytes as they are, but encodes a {@link String}
 * through a {@code CharsetEncoder} one value at a time, which was most of the CPU of writing rows
 * with long texts (prompts, GraphML, documents). The bytes written are the same; the record itself
 * is not copied or changed, only read through this view.
 */
final class Utf8Strings {
  private Utf8Strings() {}

  /** The record, its strings as {@link Utf8}. */
  static GenericRecord of(GenericRecord record) {
    return new RecordView(record);
  }

  private static Object view(Object value) {
    if (value instanceof String s) {
      return new Utf8(s);
    }
    if (value instanceof IndexedRecord r) {
      return new RecordView(r);
    }
    if (value instanceof List<?> list) {
      return new ListView(list);
    }
    return value;
  }

  private record RecordView(IndexedRecord record) implements GenericRecord {
    @Override
    public Schema getSchema() {
      return record.getSchema();
    }

    @Override
    public Object get(int i) {
      return view(record.get(i));
    }

    @Override
    public Object get(String key) {
      Schema.Field field = record.getSchema().getField(key);
      return field == null ? null : get(field.pos());
    }

    @Override
    public void put(int i, Object v) {
      throw new UnsupportedOperationException("a read-only view");
    }

    @Override
    public void put(String key, Object v) {
      throw new UnsupportedOperationException("a read-only view");
    }
  }

  private static final class ListView extends AbstractList<Object> {
    private final List<?> list;

    ListView(List<?> list) {
      this.list = list;
    }

    @Override
    public Object get(int i) {
      return view(list.get(i));
    }

    @Override
    public int size() {
      return list.size();
    }
  }
}
