package dev.corpusforge.pipelines.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * corpusforge's version, the pom's, and the time of the build, which the build writes into {@code
 * version.properties}.
 */
public final class ToolVersion {
  /** The resource's name inside a jar. */
  public static final String ENTRY = "dev/corpusforge/pipelines/version.properties";

  private ToolVersion() {}

  public static String get() {
    return properties().getProperty("version");
  }

  /** When the build that made these classes ran (the same for every jar built by one Maven run). */
  public static String build() {
    return properties().getProperty("build");
  }

  private static Properties properties() {
    try (InputStream in = ToolVersion.class.getResourceAsStream("/" + ENTRY)) {
      if (in == null) {
        throw new IllegalStateException(ENTRY + " is missing: build the project with Maven");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The properties in {@code in}. */
  public static Properties read(InputStream in) throws IOException {
    Properties p = new Properties();
    p.load(in);
    return p;
  }
}
