package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.run.RunDriver;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the job bundle a Flink cluster should get: one shaded jar instead of the classpath. */
final class StageJar {
  static final String BUNDLE = "deploy/bundle/target/corpusforge-bundle.jar";

  private StageJar() {}

  /** The bundle's path, or null when it is missing or older than the code it should carry (then the classpath is staged). */
  static String bundle(PrintStream console) {
    String home = System.getProperty("corpusforge.home");
    if (home == null) {
      return null;
    }
    Path bundle = Path.of(home).resolve(BUNDLE);
    if (!Files.isRegularFile(bundle)) {
      return null;
    }
    try {
      Path built = Path.of(RunDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(bundle)) > 0) {
        console.println("note: " + bundle + " is older than the build; staging the classpath instead (rebuild it: mvn -Pbundle package -DskipTests)");
        return null;
      }
    } catch (Exception e) {
      return null;
    }
    return bundle.toAbsolutePath().toString();
  }
}
