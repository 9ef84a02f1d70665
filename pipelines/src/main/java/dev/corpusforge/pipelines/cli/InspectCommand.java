package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.pipelines.run.RunDriver;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code forge inspect OUT}: a run's manifest as a table. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print a run's manifest as a table.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "OUT", description = "The run's output folder, local or s3://.")
  String output;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    s3.applyToFileSystems();
    OutputLayout layout = new OutputLayout(output);
    if (!OutputFiles.exists(layout.manifest())) {
      System.err.println(
          "error: no manifest.json in "
              + output
              + " (not a corpusforge output, or the run did not finish)");
      return 2;
    }
    JsonNode m = RunDriver.readManifest(output);
    boolean complete = OutputFiles.exists(layout.success());
    var out = Forge.OUT;
    row("pipeline", m.path("pipeline").asText());
    row("run id", m.path("run_id").asText());
    row("status", complete ? "complete (_SUCCESS present)" : "INCOMPLETE (no _SUCCESS)");
    row("started", m.path("started_at").asText());
    row(
        "finished",
        m.path("finished_at").asText() + "  (" + m.path("duration_seconds").asText() + " s)");
    row("runner", m.path("runner").asText());
    row("tool version", m.path("tool_version").asText());
    row("inputs", m.path("inputs").toString());
    JsonNode counts = m.path("counts");
    row("records in", counts.path("inputs").asText());
    row("kept", counts.path("kept").asText());
    row("rejected", counts.path("rejected").asText());
    row(
        "accounting",
        m.path("accounting").path("balanced").asBoolean()
            ? "balanced"
            : "FAILED " + m.path("accounting"));
    out.println();
    out.printf("%-10s %-30s %10s%n", "stage", "reason", "count");
    for (Iterator<Map.Entry<String, JsonNode>> stages = counts.path("rejected_by_stage").fields();
        stages.hasNext(); ) {
      Map.Entry<String, JsonNode> stage = stages.next();
      for (Iterator<Map.Entry<String, JsonNode>> reasons = stage.getValue().fields();
          reasons.hasNext(); ) {
        Map.Entry<String, JsonNode> reason = reasons.next();
        out.printf(
            "%-10s %-30s %10d%n", stage.getKey(), reason.getKey(), reason.getValue().asLong());
      }
    }
    out.println();
    for (Iterator<Map.Entry<String, JsonNode>> exports = m.path("exports").fields();
        exports.hasNext(); ) {
      Map.Entry<String, JsonNode> e = exports.next();
      row(
          "export " + e.getKey(),
          e.getValue().path("files").asText()
              + " files, "
              + e.getValue().path("samples").asText()
              + " samples");
    }
    out.println();
    out.println("config:");
    for (Iterator<Map.Entry<String, JsonNode>> fields = m.path("config").fields();
        fields.hasNext(); ) {
      Map.Entry<String, JsonNode> f = fields.next();
      row("  " + f.getKey(), f.getValue().toString());
    }
    return 0;
  }

  private static void row(String key, String value) {
    Forge.OUT.printf("%-22s %s%n", key, value);
  }
}
