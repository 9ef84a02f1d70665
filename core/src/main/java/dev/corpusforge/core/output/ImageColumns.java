package dev.corpusforge.core.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Image columns written as Hugging Face {@code datasets} stores its {@code Image} feature: a struct
 * {@code {bytes: binary, path: string}}, declared under the Parquet key {@code huggingface}. {@code
 * datasets} takes a column's feature from that key only when the column's Arrow type equals the
 * feature's own ({@code Features.from_arrow_schema}), so a plain binary column declared as an image
 * would still load as bytes; in this form {@code load_dataset("parquet", …)} decodes the images
 * itself. {@code path} stays null: the bytes are the image, there is no file behind them.
 */
public final class ImageColumns {
  /** The struct of one image: {@code datasets}' {@code Image} storage, field for field. */
  public static final Schema IMAGE =
      new Schema.Parser()
          .parse(
              "{\"type\": \"record\", \"name\": \"Image\", \"namespace\": \"dev.corpusforge.schemas\","
                  + " \"doc\": \"An encoded image as Hugging Face datasets stores its Image feature.\","
                  + " \"fields\": ["
                  + "{\"name\": \"bytes\", \"type\": [\"null\", \"bytes\"], \"default\": null,"
                  + " \"doc\": \"The encoded image (JPEG, PNG, WebP, GIF or BMP).\"},"
                  + "{\"name\": \"path\", \"type\": [\"null\", \"string\"], \"default\": null,"
                  + " \"doc\": \"Always null: the bytes are the image.\"}]}");

  /** The Parquet key-value metadata key {@code datasets} reads features from. */
  public static final String METADATA_KEY = "huggingface";

  private ImageColumns() {}

  /**
   * {@code schema} with each of {@code imageFields} (bytes) made a nullable {@link #IMAGE} struct;
   * every other field as it is.
   */
  public static Schema rowSchema(Schema schema, Set<String> imageFields) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!imageFields.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
        continue;
      }
      if (!isBytes(f.schema())) {
        throw new IllegalArgumentException(f.name() + " is not a bytes field of " + schema);
      }
      fields.add(
          new Schema.Field(
              f.name(),
              Schema.createUnion(Schema.create(Schema.Type.NULL), IMAGE),
              f.doc() + " As {bytes, path}: Hugging Face datasets' Image feature.",
              Schema.Field.NULL_DEFAULT_VALUE));
    }
    Schema row =
        Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false);
    row.setFields(fields);
    return row;
  }

  private static boolean isBytes(Schema s) {
    return s.getType() == Schema.Type.BYTES
        || (s.getType() == Schema.Type.UNION
            && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.BYTES));
  }

  /** The image fields of a row schema: those holding an {@link #IMAGE}. */
  public static List<String> imageFields(Schema rowSchema) {
    List<String> names = new ArrayList<>();
    for (int i : imagePositions(rowSchema)) {
      names.add(rowSchema.getFields().get(i).name());
    }
    return names;
  }

  /** The positions of the image fields of a row schema, for {@link #row}. */
  public static int[] imagePositions(Schema rowSchema) {
    return rowSchema.getFields().stream()
        .filter(f -> isImage(f.schema()))
        .mapToInt(Schema.Field::pos)
        .toArray();
  }

  /** Whether {@code s} is an {@link #IMAGE}, or a union holding one. */
  public static boolean isImage(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      return s.getTypes().stream().anyMatch(ImageColumns::isImage);
    }
    return s.getType() == Schema.Type.RECORD && s.getFullName().equals(IMAGE.getFullName());
  }

  /**
   * {@code record} as a row of {@code rowSchema} (made by {@link #rowSchema}): the same values by
   * position, the bytes at {@code imagePositions} ({@link #imagePositions}) wrapped in their
   * struct.
   */
  public static GenericRecord row(GenericRecord record, Schema rowSchema, int[] imagePositions) {
    GenericData.Record row = new GenericData.Record(rowSchema);
    int fields = rowSchema.getFields().size();
    for (int i = 0; i < fields; i++) {
      row.put(i, record.get(i));
    }
    for (int i : imagePositions) {
      Object bytes = row.get(i);
      if (bytes != null) {
        GenericData.Record image = new GenericData.Record(IMAGE);
        image.put(0, (ByteBuffer) bytes);
        row.put(i, image);
      }
    }
    return row;
  }

  /**
   * The Parquet key-value metadata declaring the image fields of {@code rowSchema} as {@code Image}
   * features: {@code {"huggingface": "{\"info\": {\"features\": {…}}}"}}, or nothing when it has
   * none. Only the images are declared: {@code datasets} reads every other column's type from
   * Arrow's, and a list declared in one version's words ({@code List} or {@code Sequence}) fails to
   * load in the other.
   */
  public static Map<String, String> parquetMetadata(Schema rowSchema) {
    List<String> images = imageFields(rowSchema);
    if (images.isEmpty()) {
      return Map.of();
    }
    ObjectNode root = StatsLines.JSON.createObjectNode();
    ObjectNode features = root.putObject("info").putObject("features");
    images.forEach(name -> features.putObject(name).put("_type", "Image"));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(METADATA_KEY, root.toString());
    return metadata;
  }
}
