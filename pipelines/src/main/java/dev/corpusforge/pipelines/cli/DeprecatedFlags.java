package dev.corpusforge.pipelines.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Flag names retired when every pipeline came to use one name per idea, kept working for one
 * release: on the command line, in a {@code --config} file and in a jobs file's {@code args}, an
 * old name is read as its new one with a warning.
 */
final class DeprecatedFlags {
  private DeprecatedFlags() {}

  /** {@code old} is {@code now} in {@code pipeline}'s flags. */
  record Rename(String pipeline, String old, String now) {}

  static final List<Rename> RENAMES =
      List.of(
          new Rename("image-text", "--max-pixels", "--max-image-pixels"),
          new Rename("image-text", "--min-side", "--min-image-side"),
          new Rename("image-text", "--score-threads", "--model-threads"),
          new Rename("graph-summary", "--model", "--llm-model"),
          new Rename("graph-summary", "--align-threads", "--model-threads"));

  /** The new name of {@code flag} in {@code pipeline}, or null when it is not retired. */
  static String renamed(String pipeline, String flag) {
    for (Rename r : RENAMES) {
      if (r.pipeline().equals(pipeline) && r.old().equals(flag)) {
        return r.now();
      }
    }
    return null;
  }

  /**
   * {@code args} of a {@code pipeline} run with every retired name replaced by its new one ({@code
   * --old V} and {@code --old=V}), each replacement announced on {@code warnings}.
   */
  static String[] rewrite(String pipeline, String[] args, PrintStream warnings) {
    if (pipeline == null) {
      return args;
    }
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String a = out[i];
      int eq = a.indexOf('=');
      String flag = eq < 0 ? a : a.substring(0, eq);
      String now = renamed(pipeline, flag);
      if (now != null) {
        warn(warnings, pipeline, flag, now);
        out[i] = eq < 0 ? now : now + a.substring(eq);
      }
    }
    return out;
  }

  static void warn(PrintStream warnings, String pipeline, String old, String now) {
    warnings.println(
        "warning: "
            + pipeline
            + " "
            + old
            + " is deprecated and goes in the next release; use "
            + now);
  }
}
