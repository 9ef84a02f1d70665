package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine;

/**
 * Option values from a YAML config file ({@code --config FILE}): keys are the long option names
 * without dashes ({@code min-side: 200}, {@code input: [a/, b/]}). Flags on the command line win.
 */
final class YamlDefaults implements CommandLine.IDefaultValueProvider {
  private final JsonNode root;
  private final Path file;

  private YamlDefaults(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /**
   * The file's values for {@code pipeline}'s flags (null: another command); a retired flag name is
   * read as its new one, with a warning.
   */
  static YamlDefaults load(Path file, String pipeline) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(
          new CommandLine(new Object()), "config file " + file + " does not exist");
    }
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    if (root != null && !root.isNull() && !root.isObject()) {
      throw new IOException("config file " + file + " must be a mapping of option names to values");
    }
    if (root != null && root.isObject() && pipeline != null) {
      ObjectNode renamed = (ObjectNode) root;
      for (String key : List.copyOf(iterable(root.fieldNames()))) {
        String now = DeprecatedFlags.renamed(pipeline, "--" + key);
        if (now != null) {
          DeprecatedFlags.warn(System.err, pipeline, key, now.substring(2));
          JsonNode value = renamed.remove(key);
          renamed.putIfAbsent(now.substring(2), value);
        }
      }
    }
    return new YamlDefaults(file, root);
  }

  /** Unknown keys in the file, so a typo never goes unnoticed. */
  List<String> unknownKeys(CommandLine.Model.CommandSpec spec) {
    List<String> unknown = new ArrayList<>();
    if (root == null || root.isNull()) {
      return unknown;
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (spec.findOption("--" + key) == null) {
        unknown.add(key);
      }
    }
    return unknown;
  }

  private static List<String> iterable(Iterator<String> names) {
    List<String> all = new ArrayList<>();
    names.forEachRemaining(all::add);
    return all;
  }

  Path file() {
    return file;
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (root == null || root.isNull() || !(arg instanceof CommandLine.Model.OptionSpec option)) {
      return null;
    }
    String key = option.longestName().replaceFirst("^--", "");
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      value.forEach(v -> parts.add(v.asText()));
      return String.join(",", parts);
    }
    return value.asText();
  }
}
