package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.pipelines.run.RunDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A finished run as its manifest recorded it, to run again ({@code forge retry}, {@code forge
 * merge}): the {@code forge} arguments that started it, and its cache (folder and scope).
 *
 * @param output the run's output
 * @param pipeline the pipeline it ran
 * @param command its {@code forge} arguments
 * @param cacheRoot its cache folder
 * @param cacheScope the scope its passing outcomes are cached under
 */
record StoredRun(
    String output, String pipeline, List<String> command, String cacheRoot, String cacheScope) {

  /** Options of the run itself rather than of what it computes: dropped when run again. */
  private static final Set<String> RUN_ONLY =
      Set.of(
          "--output",
          "--overwrite",
          "--resume",
          "--cache",
          "--no-cache",
          "--cache-scope",
          "--cache-retried",
          "--only-ids",
          "--detached");

  static StoredRun read(String output) throws IOException {
    OutputLayout layout = new OutputLayout(output);
    if (!OutputFiles.exists(layout.success())) {
      throw new IllegalArgumentException(
          output + " holds no finished run (no _SUCCESS): finish it first (forge run … --resume)");
    }
    JsonNode m = RunDriver.readManifest(output);
    List<String> command = new ArrayList<>();
    m.path("command").forEach(a -> command.add(a.asText()));
    JsonNode cache = m.path("metrics").path("cache");
    if (command.isEmpty() || cache.path("root").asText("").isEmpty()) {
      throw new IllegalArgumentException(
          output
              + "'s manifest names no command and cache (a run with --no-cache, or made by an"
              + " older release): run it again instead");
    }
    return new StoredRun(
        output,
        m.path("pipeline").asText(),
        command,
        cache.path("root").asText(),
        cache.path("scope").asText(null));
  }

  /**
   * This run's arguments for a new run into {@code newOutput} in this run's cache and scope: the
   * options of the run itself dropped, {@code overrides}' options replacing the same options, then
   * {@code extra}.
   */
  List<String> again(String newOutput, List<String> overrides, List<String> extra) {
    Set<String> replaced = new LinkedHashSet<>(RUN_ONLY);
    replaced.addAll(optionNames(overrides));
    List<String> args = new ArrayList<>(without(command, replaced));
    args.addAll(List.of("--output", newOutput, "--cache", cacheRoot));
    if (cacheScope != null) {
      args.addAll(List.of("--cache-scope", cacheScope));
    }
    args.addAll(overrides);
    args.addAll(extra);
    return args;
  }

  /** The option names ({@code --name}) in {@code args}. */
  static Set<String> optionNames(List<String> args) {
    Set<String> names = new LinkedHashSet<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        names.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
      }
    }
    return names;
  }

  /**
   * {@code args} without the options named in {@code names} and their values: an option's value is
   * the word after it unless that word is an option itself (pipelines take no positional
   * arguments).
   */
  static List<String> without(List<String> args, Set<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.startsWith("--") && a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (!names.contains(name)) {
        out.add(a);
        continue;
      }
      boolean inline = a.contains("=");
      while (!inline && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        i++;
      }
    }
    return out;
  }
}
