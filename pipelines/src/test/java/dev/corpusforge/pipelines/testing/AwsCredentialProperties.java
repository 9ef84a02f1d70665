package dev.corpusforge.pipelines.testing;

/**
 * The AWS credentials of this JVM's system properties (part of the SDK's default chain), changed
 * for a test and put back as they were on close: end-to-end classes share their JVM.
 */
public final class AwsCredentialProperties implements AutoCloseable {
  private static final String KEY = "aws.accessKeyId";
  private static final String SECRET = "aws.secretAccessKey";
  private final String savedKey = System.getProperty(KEY);
  private final String savedSecret = System.getProperty(SECRET);

  private AwsCredentialProperties() {}

  /** Remembers the present ones. */
  public static AwsCredentialProperties save() {
    return new AwsCredentialProperties();
  }

  /** Sets both, or clears both when {@code key} is null. */
  public AwsCredentialProperties set(String key, String secret) {
    put(KEY, key);
    put(SECRET, key == null ? null : secret);
    return this;
  }

  @Override
  public void close() {
    put(KEY, savedKey);
    put(SECRET, savedSecret);
  }

  private static void put(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
