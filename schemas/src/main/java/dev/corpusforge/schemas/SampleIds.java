package dev.corpusforge.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable sample ids: the first 128 bits of SHA-256 over an input record's location, in hex.
 *
 * <p>A location names where a record was read and its position there, e.g. a file path, {@code
 * shard.tar#000123} or {@code urls.csv#17}. The same input therefore gets the same id on every run,
 * runner and parallelism.
 */
public final class SampleIds {
  private SampleIds() {}

  /** One digest per thread: looking up the provider cost as much as hashing a short location. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
            }
          });

  /** Returns the 32-character hex id of {@code location}. */
  public static String of(String location) {
    byte[] digest = SHA_256.get().digest(location.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }
}
