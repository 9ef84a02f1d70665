package dev.corpusforge.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Programs outside the JVM that tests check our outputs with (Node.js packages, Python readers):
 * whether one is installed, and one run of it with its standard output as the answer.
 */
public final class ExternalTools {
  /** The longest a tool may run (an {@code npm ci} included). */
  private static final long TIMEOUT_SECONDS = 180;

  private ExternalTools() {}

  /** Whether {@code program} is an executable on the {@code PATH}. */
  public static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code command} in {@code dir} with {@code stdin} (or none) on its standard input; its
   * standard output. Fails with the tool's standard error when it exits other than 0, and when it
   * runs past {@value #TIMEOUT_SECONDS} s.
   */
  public static byte[] run(Path dir, byte[] stdin, String... command)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile("external-tool", ".err");
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
    try {
      if (stdin != null) {
        p.getOutputStream().write(stdin);
      }
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed: "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return out;
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }
}
