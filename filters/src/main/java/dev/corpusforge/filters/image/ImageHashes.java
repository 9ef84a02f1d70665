package dev.corpusforge.filters.image;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Content hashes of a decoded RGB image: a 128-bit hash of the pixels, and a 64-bit DCT perceptual
 * hash for near duplicates.
 *
 * <p>The perceptual hash follows the common pHash recipe (as in the {@code imagehash} library):
 * grey levels on a 32×32 grid, 2-D DCT-II, the 8×8 lowest frequencies, one bit per coefficient set
 * when it is above their median. Each cell's grey level is the mean of 8×8 pixels spread evenly
 * over it, which low-passes the image and bounds the work for large images.
 */
public final class ImageHashes {
  private static final int GRID = 32;
  private static final int LOW = 8;
  private static final double[][] COS = cosTable();

  private ImageHashes() {}

  /** The exact and the perceptual hash of one image. */
  public record Hashes(String pixelHash, long phash) {}

  /**
   * Samples per grid cell along each axis: enough for a stable cell mean, bounded for big images.
   */
  private static final int SAMPLES_PER_CELL = 8;

  /**
   * Both hashes, from the decoder's own layout (no RGB copy of the image is made).
   *
   * <p>The pixel hash is a 128-bit MurmurHash3 (hex) over the decoded raster: its layout, size and
   * every sample. Equal pictures decoded to different layouts (an RGBA and an RGB PNG of the same
   * pixels) hash differently here; they are perceptual-hash twins at distance 0 and leave as near
   * duplicates. Not cryptographic; at 2^-64 per pair, a collision between different images is not a
   * practical concern for dedup.
   *
   * <p>The perceptual hash reads the grey grid from at most 8×8 evenly spread pixels per cell.
   */
  public static Hashes of(BufferedImage image) {
    return new Hashes(rasterHash(image), phashOfGrid(greyGrid(image)));
  }

  static String rasterHash(BufferedImage image) {
    Raster raster = image.getRaster();
    Hasher hasher =
        Hashing.murmur3_128()
            .newHasher()
            .putInt(image.getType())
            .putInt(raster.getNumBands())
            .putInt(image.getWidth())
            .putInt(image.getHeight());
    DataBuffer buffer = raster.getDataBuffer();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int bank = 0; bank < buffer.getNumBanks(); bank++) {
      if (buffer instanceof DataBufferByte b) {
        hasher.putBytes(b.getData(bank));
      } else if (buffer instanceof DataBufferUShort u) {
        short[] data = u.getData(bank);
        for (int off = 0; off < data.length; off += chunk.capacity() / 2) {
          int n = Math.min(chunk.capacity() / 2, data.length - off);
          chunk.clear();
          chunk.asShortBuffer().put(data, off, n);
          hasher.putBytes(chunk.array(), 0, 2 * n);
        }
      } else if (buffer instanceof DataBufferInt i) {
        int[] data = i.getData(bank);
        for (int off = 0; off < data.length; off += chunk.capacity() / 4) {
          int n = Math.min(chunk.capacity() / 4, data.length - off);
          chunk.clear();
          chunk.asIntBuffer().put(data, off, n);
          hasher.putBytes(chunk.array(), 0, 4 * n);
        }
      } else {
        for (int k = 0; k < buffer.getSize(); k++) {
          hasher.putInt(buffer.getElem(bank, k));
        }
      }
    }
    return hasher.hash().toString();
  }

  /** Mean grey level (ITU-R 601 luma) of each cell of a 32×32 grid, from evenly spread samples. */
  static double[][] greyGrid(BufferedImage image) {
    int[] xs = samplePositions(image.getWidth());
    int[] ys = samplePositions(image.getHeight());
    RgbRows.PixelReader pixels = RgbRows.reader(image);
    long[] sums = new long[GRID * GRID];
    int[] row = new int[xs.length];
    for (int k = 0; k < ys.length; k++) {
      pixels.read(ys[k], xs, row);
      int rowBase = (k / SAMPLES_PER_CELL) * GRID;
      for (int m = 0; m < row.length; m++) {
        int c = row[m];
        sums[rowBase + m / SAMPLES_PER_CELL] +=
            299 * ((c >> 16) & 0xff) + 587 * ((c >> 8) & 0xff) + 114 * (c & 0xff);
      }
    }
    double[][] grid = new double[GRID][GRID];
    for (int gy = 0; gy < GRID; gy++) {
      for (int gx = 0; gx < GRID; gx++) {
        grid[gy][gx] = sums[gy * GRID + gx] / (1000.0 * SAMPLES_PER_CELL * SAMPLES_PER_CELL);
      }
    }
    return grid;
  }

  /**
   * GRID × SAMPLES_PER_CELL positions spread evenly over {@code size} pixels (centres of equal
   * slices).
   */
  private static int[] samplePositions(int size) {
    int n = GRID * SAMPLES_PER_CELL;
    int[] positions = new int[n];
    for (int k = 0; k < n; k++) {
      positions[k] = (int) Math.min(size - 1, ((2L * k + 1) * size) / (2L * n));
    }
    return positions;
  }

  /** The pixel hash alone; see {@link #of}. */
  public static String pixelHash(BufferedImage image) {
    return of(image).pixelHash();
  }

  /** The 64-bit DCT perceptual hash alone; see {@link #of}. */
  public static long phash(BufferedImage image) {
    return of(image).phash();
  }

  static long phashOfGrid(double[][] grey) {
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
