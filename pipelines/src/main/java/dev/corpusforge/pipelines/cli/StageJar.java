package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.run.ToolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Finds the job bundle a Flink cluster should get: one shaded jar instead of the classpath. */
final class StageJar {
  static final String BUNDLE = "pipelines/target/corpusforge-bundle.jar";

  private StageJar() {}

  /**
   * The bundle's path, or null when it is missing or was not built with the classes running here
   * (then the classpath is staged): the build time both carry in {@code version.properties} must
   * match, whatever the files' dates say.
   */
  static String bundle(PrintStream console) {
    String home = System.getProperty("corpusforge.home");
    if (home == null) {
      return null;
    }
    Path bundle = Path.of(home).resolve(BUNDLE);
    if (!Files.isRegularFile(bundle)) {
      return null;
    }
    String its;
    try (ZipFile jar = new ZipFile(bundle.toFile())) {
      ZipEntry entry = jar.getEntry(ToolVersion.ENTRY);
      try (InputStream in =
          entry == null ? InputStream.nullInputStream() : jar.getInputStream(entry)) {
        its = ToolVersion.read(in).getProperty("build");
      }
    } catch (IOException e) {
      console.println(
          "note: "
              + bundle
              + " cannot be read ("
              + e.getMessage()
              + "); staging the classpath instead");
      return null;
    }
    if (its == null || !its.equals(ToolVersion.build())) {
      console.println(
          "note: "
              + bundle
              + " is from another build ("
              + its
              + ", this one "
              + ToolVersion.build()
              + "); staging the classpath instead (rebuild it: mvn package -DskipTests)");
      return null;
    }
    return bundle.toAbsolutePath().toString();
  }
}
