package dev.corpusforge.pipelines.testing;

import dev.corpusforge.pipelines.cli.Forge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code forge} called in-process with what it prints on standard error kept for assertions, or
 * launched in a JVM of its own (for runs a test kills).
 */
public final class ForgeCall {
  private ForgeCall() {}

  /** The exit code and standard error of one call. */
  public record Outcome(int exit, String err) {
    /**
     * Whether standard error holds a stack trace (frames or a "Caused by:" line), not just the
     * one-line error.
     */
    public boolean hasStackTrace() {
      return err.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by: "));
    }
  }

  public static synchronized Outcome run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    int exit;
    try {
      exit = Forge.execute(args);
    } finally {
      capture.flush();
      System.setErr(saved);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    saved.print(text);
    return new Outcome(exit, text);
  }

  /**
   * Runs {@code forge ARGS} in-process and fails with its exit code and standard error (the run's
   * one-line cause) when it does not exit 0.
   */
  public static void succeeds(String... args) {
    Outcome outcome = run(args);
    if (outcome.exit() != 0) {
      throw new AssertionError(
          "forge " + String.join(" ", args) + " exited " + outcome.exit() + ": " + outcome.err());
    }
  }

  /** {@code forge ARGS} in a JVM of its own (1 GB heap), its console in {@code log}. */
  public static Process launch(java.nio.file.Path log, String... args) throws java.io.IOException {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                Forge.class.getName()));
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
