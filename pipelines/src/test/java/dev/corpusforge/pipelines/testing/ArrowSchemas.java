package dev.corpusforge.pipelines.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Parquet files as Apache Arrow reads them: the Arrow schema (fields with type, nullability and
 * children) and key-value metadata that Arrow's Rust Parquet reader (parquet-wasm, run by Node)
 * infers, the schema pyarrow-based tools such as Hugging Face {@code datasets} compare features
 * against. Installed into target/ from src/test/js/arrow-check with {@code npm ci}. Where Node is
 * missing it answers null, except under CI (the {@code CI} environment variable set, as {@code
 * .ci/run} does), where it fails instead.
 */
public final class ArrowSchemas {
  private ArrowSchemas() {}

  /** File path → {@code {fields: [...], metadata: {...}}}, or null without Node. */
  public static JsonNode read(List<Path> files) throws IOException, InterruptedException {
    boolean node = ExternalTools.onPath("node") && ExternalTools.onPath("npm");
    if (!node) {
      if (System.getenv("CI") != null) {
        throw new AssertionError(
            "CI installs Node.js and npm (.ci/run); the Arrow check must not be skipped there");
      }
      return null;
    }
    Path tool = Path.of("target", "arrow-check");
    Files.createDirectories(tool);
    for (String f : List.of("package.json", "package-lock.json", "check.mjs")) {
      Files.copy(
          Path.of("src", "test", "js", "arrow-check", f),
          tool.resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(tool.resolve("node_modules/parquet-wasm"))) {
      ExternalTools.run(tool, null, "npm", "ci", "--no-audit", "--no-fund");
    }
    List<String> command = new ArrayList<>(List.of("node", "check.mjs"));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    return new ObjectMapper()
        .readTree(ExternalTools.run(tool, null, command.toArray(String[]::new)));
  }
}
