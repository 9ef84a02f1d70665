package dev.corpusforge.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Random seeds per record: the first 64 bits of SHA-256 over the run seed and a record's key, so a
 * record's random choices depend on nothing but the run seed and the record, whatever the runner,
 * parallelism or order.
 */
public final class RecordSeeds {
  private RecordSeeds() {}

  public static long of(long runSeed, String key) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((runSeed + "/" + key).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
