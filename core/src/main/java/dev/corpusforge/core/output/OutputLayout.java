package dev.corpusforge.core.output;

/** Paths of the output layout every pipeline writes (local path or s3:// prefix). */
public record OutputLayout(String root) {
  public OutputLayout {
    while (root.endsWith("/") && root.length() > 1) {
      root = root.substring(0, root.length() - 1);
    }
  }

  public String data() {
    return root + "/data";
  }

  public String rejects() {
    return root + "/rejects";
  }

  public String manifest() {
    return root + "/manifest.json";
  }

  public String report() {
    return root + "/report.html";
  }

  /** The dataset card a Hugging Face user's tools read ({@code README.md}). */
  public String card() {
    return root + "/README.md";
  }

  public String exports(String format) {
    return root + "/exports/" + format;
  }

  public String success() {
    return root + "/_SUCCESS";
  }

  /** The lock of the run writing this output (held from its checks until it exits). */
  public String lock() {
    return root + "/_LOCK";
  }

  /** Working folder of a run, removed when the run is finalised. */
  public String runDir() {
    return root + "/_run";
  }

  public String statsFile() {
    return runDir() + "/stats.jsonl";
  }
}
