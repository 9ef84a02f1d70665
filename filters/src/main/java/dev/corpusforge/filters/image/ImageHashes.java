package dev.corpusforge.filters.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Content hashes of a decoded RGB image: an exact hash of the pixels, and a 64-bit DCT perceptual
 * hash for near duplicates.
 *
 * <p>The perceptual hash follows the common pHash recipe (as in the {@code imagehash} library):
 * grey levels on a 32×32 grid, 2-D DCT-II, the 8×8 lowest frequencies, one bit per coefficient
 * set when it is above their median. The grid is filled by averaging the pixels of each cell,
 * which also low-passes the image before sampling.
 */
public final class ImageHashes {
  private static final int GRID = 32;
  private static final int LOW = 8;
  private static final double[][] COS = cosTable();

  private ImageHashes() {}

  /** SHA-256 (hex) over width, height and the RGB pixels of {@code rgb} (TYPE_INT_RGB). */
  public static String pixelSha256(BufferedImage rgb) {
    int[] pixels = pixels(rgb);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    digest.update(ByteBuffer.allocate(8).putInt(rgb.getWidth()).putInt(rgb.getHeight()).array());
    ByteBuffer chunk = ByteBuffer.allocate(4 * 4096);
    for (int i = 0; i < pixels.length; i++) {
      chunk.putInt(pixels[i] & 0xffffff);
      if (!chunk.hasRemaining()) {
        digest.update(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
    }
    digest.update(chunk.array(), 0, chunk.position());
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The 64-bit DCT perceptual hash of {@code rgb} (TYPE_INT_RGB). */
  public static long phash(BufferedImage rgb) {
    double[][] grey = greyGrid(rgb);
    double[][] dct = dct2(grey);
    double[] low = new double[LOW * LOW];
    for (int u = 0; u < LOW; u++) {
      for (int v = 0; v < LOW; v++) {
        low[u * LOW + v] = dct[u][v];
      }
    }
    double[] sorted = low.clone();
    Arrays.sort(sorted);
    double median = (sorted[31] + sorted[32]) / 2;
    long hash = 0;
    for (int i = 0; i < low.length; i++) {
      hash = (hash << 1) | (low[i] > median ? 1 : 0);
    }
    return hash;
  }

  /** Number of differing bits between two 64-bit hashes. */
  public static int hamming(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  static int[] pixels(BufferedImage rgb) {
    if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + rgb.getType());
    }
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }

  /** Mean grey level (ITU-R 601 luma) of each cell of a 32×32 grid laid over the image. */
  static double[][] greyGrid(BufferedImage rgb) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int[] pixels = pixels(rgb);
    double[][] grid = new double[GRID][GRID];
    for (int gy = 0; gy < GRID; gy++) {
      int y0 = gy * h / GRID;
      int y1 = Math.max(y0 + 1, (gy + 1) * h / GRID);
      for (int gx = 0; gx < GRID; gx++) {
        int x0 = gx * w / GRID;
        int x1 = Math.max(x0 + 1, (gx + 1) * w / GRID);
        long sum = 0;
        for (int y = y0; y < Math.min(y1, h); y++) {
          int row = y * w;
          for (int x = x0; x < Math.min(x1, w); x++) {
            int p = pixels[row + x];
            sum += 299L * ((p >> 16) & 0xff) + 587L * ((p >> 8) & 0xff) + 114L * (p & 0xff);
          }
        }
        long count = (long) (Math.min(y1, h) - y0) * (Math.min(x1, w) - x0);
        grid[gy][gx] = count == 0 ? 0 : sum / (1000.0 * count);
      }
    }
    return grid;
  }

  /** Unnormalised 2-D DCT-II of a 32×32 block, lowest 8×8 frequencies only. */
  static double[][] dct2(double[][] block) {
    double[][] rows = new double[GRID][LOW];
    for (int y = 0; y < GRID; y++) {
      for (int u = 0; u < LOW; u++) {
        double s = 0;
        for (int x = 0; x < GRID; x++) {
          s += block[y][x] * COS[u][x];
        }
        rows[y][u] = s;
      }
    }
    double[][] out = new double[LOW][LOW];
    for (int v = 0; v < LOW; v++) {
      for (int u = 0; u < LOW; u++) {
        double s = 0;
        for (int y = 0; y < GRID; y++) {
          s += rows[y][u] * COS[v][y];
        }
        out[v][u] = s;
      }
    }
    return out;
  }

  private static double[][] cosTable() {
    double[][] table = new double[LOW][GRID];
    for (int u = 0; u < LOW; u++) {
      for (int x = 0; x < GRID; x++) {
        table[u][x] = Math.cos(Math.PI * (2 * x + 1) * u / (2.0 * GRID));
      }
    }
    return table;
  }
}
