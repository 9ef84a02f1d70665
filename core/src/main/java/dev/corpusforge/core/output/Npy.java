package dev.corpusforge.core.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * numpy's {@code .npy} format 1.0, which numpy, autofaiss and DataComp's tools read: the magic
 * string, the version, a little-endian header length, then a Python dict literal naming the dtype,
 * the order and the shape, padded with spaces and a newline so that the data starts at a multiple
 * of 64 bytes; then the data, C order.
 */
public final class Npy {
  private Npy() {}

  /**
   * A buffer holding the header for {@code descr} (a dtype as numpy writes it: {@code '<f4'},
   * {@code [('f0', '<u8'), ('f1', '<u8')]}) and {@code shape}, with room for {@code dataBytes}
   * more, little-endian, positioned after the header.
   */
  public static ByteBuffer start(String descr, long[] shape, int dataBytes) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String tuple =
        shape.length == 1
            ? "(" + shape[0] + ",)"
            : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer out =
        ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  /** A float32 matrix, one row per array (every row the same length). */
  public static byte[] float32(float[][] rows, int columns) {
    ByteBuffer out = start("'<f4'", new long[] {rows.length, columns}, 4 * rows.length * columns);
    for (float[] row : rows) {
      if (row.length != columns) {
        throw new IllegalArgumentException(
            "a row of " + row.length + " values in a matrix of " + columns + " columns");
      }
      for (float x : row) {
        out.putFloat(x);
      }
    }
    return out.array();
  }
}
