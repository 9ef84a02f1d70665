package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.schemas.DecomposedSequence;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A chunk as the pipeline carries it between steps: the token ids as an {@code int[]} with a coder
 * that copies them as one block of bytes. The row ({@link #toRow}) is made only where it is
 * written; encoding a token list through Avro at every shuffle cost more than tokenising it.
 */
record TokenChunk(
    String sampleId,
    String sourceId,
    String documentSampleId,
    long offset,
    int bucket,
    int[] tokens) {
  int length() {
    return tokens.length;
  }

  ChunkInfo info() {
    return new ChunkInfo(sampleId, documentSampleId, bucket, tokens.length);
  }

  /**
   * The output row, a {@link DecomposedSequence} whose {@code tokens} is the {@code int[]} itself:
   * Parquet's Avro writer writes a primitive array value by value, where a {@code List<Integer>}
   * would box every token (~7 % of the tokenising step's CPU).
   */
  GenericRecord toRow() {
    GenericData.Record row = new GenericData.Record(DecomposedSequence.getClassSchema());
    row.put("sample_id", sampleId);
    row.put("source_id", sourceId);
    row.put("document_sample_id", documentSampleId);
    row.put("offset", offset);
    row.put("length", tokens.length);
    row.put("bucket", bucket);
    row.put("tokens", tokens);
    return row;
  }

  /** Token ids as a length and one block of big-endian 4-byte ints. */
  static final class TokensCoder extends AtomicCoder<int[]> {
    static final TokensCoder INSTANCE = new TokensCoder();

    @Override
    public void encode(int[] tokens, OutputStream out) throws IOException {
      VarIntCoder.of().encode(tokens.length, out);
      ByteBuffer bytes = ByteBuffer.allocate(tokens.length * Integer.BYTES);
      bytes.asIntBuffer().put(tokens);
      out.write(bytes.array());
    }

    @Override
    public int[] decode(InputStream in) throws IOException {
      int n = VarIntCoder.of().decode(in);
      if (n < 0) {
        throw new IOException("negative token count " + n);
      }
      byte[] bytes = new byte[n * Integer.BYTES];
      new DataInputStream(in).readFully(bytes);
      int[] tokens = new int[n];
      ByteBuffer.wrap(bytes).asIntBuffer().get(tokens);
      return tokens;
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class Coder extends CustomCoder<TokenChunk> {
    static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(TokenChunk c, OutputStream out) throws IOException {
      STRING.encode(c.sampleId, out);
      STRING.encode(c.sourceId, out);
      STRING.encode(c.documentSampleId, out);
      VarLongCoder.of().encode(c.offset, out);
      VarIntCoder.of().encode(c.bucket, out);
      TokensCoder.INSTANCE.encode(c.tokens, out);
    }

    @Override
    public TokenChunk decode(InputStream in) throws IOException {
      return new TokenChunk(
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          VarLongCoder.of().decode(in),
          VarIntCoder.of().decode(in),
          TokensCoder.INSTANCE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link ChunkInfo} without Java serialisation. */
  static final class InfoCoder extends CustomCoder<ChunkInfo> {
    static final InfoCoder INSTANCE = new InfoCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(ChunkInfo c, OutputStream out) throws IOException {
      STRING.encode(c.sampleId(), out);
      STRING.encode(c.documentSampleId(), out);
      VarIntCoder.of().encode(c.bucket(), out);
      VarIntCoder.of().encode(c.length(), out);
    }

    @Override
    public ChunkInfo decode(InputStream in) throws IOException {
      return new ChunkInfo(
          STRING.decode(in),
          STRING.decode(in),
          VarIntCoder.of().decode(in),
          VarIntCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
