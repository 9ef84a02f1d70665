package dev.corpusforge.core.read;

import java.io.Serializable;

/**
 * How much one input file may cost its reader.
 *
 * @param maxDecompressedBytes a compressed file's decompressed bytes at most; past them the rest of
 *     the file is {@code malformed_file} ({@link Decompression.TooLarge})
 * @param maxRowBytes a JSON line's bytes at most; a longer line is {@code row_too_large}, skipped
 *     without being held in memory, and the file's next line is read
 */
public record ReadLimits(long maxDecompressedBytes, int maxRowBytes) implements Serializable {
  /** 64 GiB decompressed per file, 256 MiB per row. */
  public static final ReadLimits DEFAULT =
      new ReadLimits(Decompression.DEFAULT_MAX_BYTES, 256 << 20);

  public ReadLimits {
    if (maxDecompressedBytes < 1 || maxRowBytes < 1) {
      throw new IllegalArgumentException(
          "--max-decompressed-bytes and --max-row-bytes must be positive");
    }
  }
}
