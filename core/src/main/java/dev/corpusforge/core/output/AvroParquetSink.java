package dev.corpusforge.core.output;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.DelegatingWriteSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Avro records into one Parquet file, as Beam's {@code ParquetIO.sink} writes them (parquet-avro's
 * write support, Snappy, the same defaults) plus key-value metadata of our own in the footer (the
 * {@code huggingface} key of {@link ImageColumns}), which Beam's sink has no way to add.
 */
public final class AvroParquetSink implements FileIO.Sink<GenericRecord> {
  private final String jsonSchema;
  private final int rowGroupBytes;
  private final LinkedHashMap<String, String> metadata;
  private transient ParquetWriter<GenericRecord> writer;

  public AvroParquetSink(Schema schema, int rowGroupBytes, Map<String, String> metadata) {
    this.jsonSchema = schema.toString();
    this.rowGroupBytes = rowGroupBytes;
    this.metadata = new LinkedHashMap<>(metadata);
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    writer =
        new Builder(StreamOutputFile.of(channel), new Schema.Parser().parse(jsonSchema), metadata)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration())
            .withRowGroupSize(rowGroupBytes)
            .build();
  }

  @Override
  public void write(GenericRecord element) throws IOException {
    writer.write(element);
  }

  /** Completes the file: the footer, then the channel closed. */
  @Override
  public void flush() throws IOException {
    writer.close();
  }

  private static final class Builder extends ParquetWriter.Builder<GenericRecord, Builder> {
    private final Schema schema;
    private final Map<String, String> metadata;

    Builder(org.apache.parquet.io.OutputFile file, Schema schema, Map<String, String> metadata) {
      super(file);
      this.schema = schema;
      this.metadata = metadata;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<GenericRecord> getWriteSupport(Configuration conf) {
      WriteSupport<GenericRecord> avro =
          new AvroWriteSupport<>(new AvroSchemaConverter(conf).convert(schema), schema, null);
      return new DelegatingWriteSupport<>(avro) {
        @Override
        public WriteContext init(Configuration configuration) {
          WriteContext context = super.init(configuration);
          Map<String, String> extra = new HashMap<>(context.getExtraMetaData());
          extra.putAll(metadata);
          return new WriteContext(context.getSchema(), extra);
        }
      };
    }
  }
}
