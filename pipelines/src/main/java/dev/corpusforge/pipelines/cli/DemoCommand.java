package dev.corpusforge.pipelines.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code forge demo}: every pipeline on the bundled samples, on embedded Flink. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the pipelines on the bundled samples/ (embedded Flink) and print where the reports are.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--output",
      defaultValue = "demo-out",
      description = "Folder for the demo outputs. Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(
      names = "--runner",
      defaultValue = "flink",
      description = "flink (embedded) or direct. Default: ${DEFAULT-VALUE}.")
  String runner;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("corpusforge.home", "."));
    Path samples = home.resolve("samples/image-text");
    if (!Files.isDirectory(samples)) {
      System.err.println(
          "error: bundled samples not found at "
              + samples.toAbsolutePath()
              + " (run from the project root or via bin/forge)");
      return 2;
    }
    Path out = output.isAbsolute() ? output : home.resolve(output);
    Forge.OUT.println("== demo: image-text on " + samples);
    int code =
        Forge.execute(
            "run",
            "image-text",
            "--runner",
            runner,
            "--input",
            samples.toAbsolutePath().toString(),
            "--output",
            out.resolve("image-text").toAbsolutePath().toString(),
            "--overwrite");
    if (code != 0) {
      return code;
    }
    Path model = home.resolve("samples/models/clipart-dual-encoder");
    Forge.OUT.println("== demo: image-text scored by " + model + ", top half by FILIP score kept");
    code =
        Forge.execute(
            "run",
            "image-text",
            "--runner",
            runner,
            "--input",
            samples.toAbsolutePath().toString(),
            "--output",
            out.resolve("image-text-scored").toAbsolutePath().toString(),
            "--overwrite",
            "--score-model",
            model.toAbsolutePath().toString(),
            "--score",
            "filip",
            "--keep-top-fraction",
            "0.5");
    if (code != 0) {
      return code;
    }
    Path documents = home.resolve("samples/decompose");
    Forge.OUT.println("== demo: decompose on " + documents + " (cl100k_base, buckets 256 … 8192)");
    code =
        Forge.execute(
            "run",
            "decompose",
            "--runner",
            runner,
            "--input",
            documents.toAbsolutePath().toString(),
            "--output",
            out.resolve("decompose").toAbsolutePath().toString(),
            "--overwrite");
    if (code != 0) {
      return code;
    }
    code =
        Forge.execute(
            "curriculum",
            out.resolve("decompose").toAbsolutePath().toString(),
            "--tokens-per-step",
            "16384",
            "--curriculum",
            "grow-p2");
    if (code != 0) {
      return code;
    }
    Path graph = home.resolve("samples/graph-summary");
    Forge.OUT.println(
        "== demo: graph-summary on "
            + graph
            + " (Debian packages, extractive summaries, MiniLM alignment)");
    code =
        Forge.execute(
            "run",
            "graph-summary",
            "--runner",
            runner,
            "--nodes",
            graph.resolve("nodes.jsonl").toAbsolutePath().toString(),
            "--edges",
            graph.resolve("edges.jsonl").toAbsolutePath().toString(),
            "--node-label-col",
            "label",
            "--relation",
            "depends on",
            "--prompt",
            "generic",
            "--output",
            out.resolve("graph-summary").toAbsolutePath().toString(),
            "--overwrite");
    if (code != 0) {
      return code;
    }
    Path scenes = home.resolve("samples/region-entity");
    Forge.OUT.println(
        "== demo: region-entity on "
            + scenes
            + " (clip art on wallpapers, two annotators with "
            + model.getFileName()
            + ", scored against the ground truth)");
    code =
        Forge.execute(
            "run",
            "region-entity",
            "--runner",
            runner,
            "--input",
            scenes.resolve("rows.jsonl").toAbsolutePath().toString(),
            "--kb",
            scenes.resolve("kb.jsonl").toAbsolutePath().toString(),
            "--model",
            model.toAbsolutePath().toString(),
            "--ground-truth",
            scenes.resolve("ground_truth.json").toAbsolutePath().toString(),
            "--output",
            out.resolve("region-entity").toAbsolutePath().toString(),
            "--overwrite");
    if (code != 0) {
      return code;
    }
    Path som = home.resolve("samples/som");
    Forge.OUT.println(
        "== demo: som on "
            + som
            + " (Set-of-Mark numbers over COCO masks, listings from the labels, LLaVA export)");
    code =
        Forge.execute(
            "run",
            "som",
            "--runner",
            runner,
            "--coco",
            som.resolve("annotations.json").toAbsolutePath().toString(),
            "--output",
            out.resolve("som").toAbsolutePath().toString(),
            "--overwrite");
    if (code != 0) {
      return code;
    }
    Forge.OUT.println("== demo done; open the reports:");
    for (String name :
        new String[] {
          "image-text", "image-text-scored", "decompose", "graph-summary", "region-entity", "som"
        }) {
      Forge.OUT.println("   " + out.resolve(name + "/report.html").toAbsolutePath());
    }
    return 0;
  }
}
