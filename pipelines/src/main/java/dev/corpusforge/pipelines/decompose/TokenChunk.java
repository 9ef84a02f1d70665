package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.schemas.DecomposedSequence;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.RandomAccess;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A chunk as the pipeline carries it between steps: the token ids as an {@code int[]} with a coder
 * that copies them as one block of bytes. The Avro record ({@link DecomposedSequence}, a {@code
 * List<Integer>}) is made only where a row is written; encoding a token list through Avro at every
 * shuffle cost more than tokenising it.
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

  /** The output row; its token list is a view of the array, not a copy. */
  DecomposedSequence toRecord() {
    return DecomposedSequence.newBuilder()
        .setSampleId(sampleId)
        .setSourceId(sourceId)
        .setDocumentSampleId(documentSampleId)
        .setOffset(offset)
        .setLength(tokens.length)
        .setBucket(bucket)
        .setTokens(new IntListView(tokens))
        .build();
  }

  /** Read-only {@code List<Integer>} over an {@code int[]}. */
  private static final class IntListView extends AbstractList<Integer> implements RandomAccess {
    private final int[] values;

    IntListView(int[] values) {
      this.values = values;
    }

    @Override
    public Integer get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
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
