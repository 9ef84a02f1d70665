package dev.corpusforge.pipelines.decompose;

import java.nio.charset.StandardCharsets;

/**
 * A sequence's {@code txt} member as the released Dataset-Decomposition layout has it: {@code [id,
 * id, …]} in ASCII. Written two digits at a time into one array sized first: formatting through a
 * {@code StringBuilder} and then encoding the string was most of the {@code D_k} export's CPU.
 */
public final class TokenText {
  private TokenText() {}

  private static final byte[] TENS = new byte[100];
  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }

  /** The member's bytes for {@code tokens}. */
  public static byte[] of(int[] tokens) {
    int size = 2 + Math.max(0, tokens.length - 1) * 2;
    for (int token : tokens) {
      size += token >= 0 ? digits(token) : Integer.toString(token).length();
    }
    byte[] out = new byte[size];
    int at = 0;
    out[at++] = '[';
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        out[at++] = ',';
        out[at++] = ' ';
      }
      at = put(out, at, tokens[i]);
    }
    out[at] = ']';
    return out;
  }

  /** Decimal digits of a non-negative {@code v}. */
  private static int digits(int v) {
    int n = 1;
    for (int limit = 10; n < 10 && v >= limit; limit *= 10) {
      n++;
    }
    return n;
  }

  /** Writes {@code v} in decimal at {@code at}; the index after it. */
  private static int put(byte[] out, int at, int v) {
    if (v < 0) {
      // never a token id; written as Java prints it
      byte[] text = Integer.toString(v).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(text, 0, out, at, text.length);
      return at + text.length;
    }
    int end = at + digits(v);
    int i = end;
    while (v >= 100) {
      int q = v / 100;
      int r = v - q * 100;
      out[--i] = ONES[r];
      out[--i] = TENS[r];
      v = q;
    }
    if (v >= 10) {
      out[--i] = ONES[v];
      out[--i] = TENS[v];
    } else {
      out[--i] = (byte) ('0' + v);
    }
    return end;
  }
}
