package dev.corpusforge.filters.dedup.semantic;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** A cluster member as it crosses the shuffle: id, source, the floats as one block, a double. */
final class MemberCoder extends CustomCoder<ClusterDedup.Member> {
  static final MemberCoder INSTANCE = new MemberCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  @Override
  public void encode(ClusterDedup.Member m, OutputStream out) throws IOException {
    STRING.encode(m.sampleId(), out);
    STRING.encode(m.source(), out);
    DataOutputStream data = new DataOutputStream(out);
    float[] e = m.embedding();
    data.writeInt(e.length);
    for (float f : e) {
      data.writeFloat(f);
    }
    data.writeDouble(m.toCentroid());
    data.flush();
  }

  @Override
  public ClusterDedup.Member decode(InputStream in) throws IOException {
    String id = STRING.decode(in);
    String source = STRING.decode(in);
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    if (n < 0) {
      throw new IOException("negative embedding length " + n);
    }
    float[] e = new float[n];
    for (int i = 0; i < n; i++) {
      e[i] = data.readFloat();
    }
    return new ClusterDedup.Member(id, source, e, data.readDouble());
  }

  @Override
  public void verifyDeterministic() {}
}
