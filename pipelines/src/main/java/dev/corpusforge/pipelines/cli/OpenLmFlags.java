package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.decompose.Curriculum;
import dev.corpusforge.annotators.decompose.OpenLmArgs;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.run.OutputFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code forge curriculum OUT --open-lm …}: the arguments of open_lm's Dataset Decomposition patch
 * ({@link OpenLmArgs}) for the D_k export of a decompose output, read from each bucket's {@code
 * exports/dd/D_k/manifest.jsonl}.
 */
final class OpenLmFlags {
  @Option(
      names = "--open-lm",
      description =
          "Write the open_lm flags that train on exports/dd (as apple/ml-dataset-decomposition's get_dd_params.py computes them) instead of a schedule.")
  boolean enabled;

  @Option(
      names = "--gpus",
      defaultValue = "8",
      description = "GPUs of the run. Default: ${DEFAULT-VALUE}.")
  int gpus;

  @Option(
      names = "--global-batch",
      defaultValue = "64",
      description = "Global batch, in sequences of the longest bucket. Default: ${DEFAULT-VALUE}.")
  int globalBatch;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Data-loader workers per GPU. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = "--train-tokens",
      paramLabel = "N",
      description =
          "Tokens to train on, all epochs together (may exceed what the buckets hold). Default: the buckets' tokens once per epoch.")
  Long trainTokens;

  @Option(
      names = "--drop-partial-shards",
      description =
          "Count only full shards, as the released layout does (a bucket's last, partial shard is kept and marked `partial` by default).")
  boolean dropPartialShards;

  /** Computes and writes the flags under {@code dir}; returns them, one line. */
  String write(String root, int minLog2, int maxLog2, String curriculum, int epochs, String dir)
      throws IOException {
    List<OpenLmArgs.Bucket> buckets = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    long held = 0;
    for (int k = minLog2; k <= maxLog2; k++) {
      String manifest = root + "/exports/dd/D_" + k + "/manifest.jsonl";
      if (!OutputFiles.exists(manifest)) {
        throw new IllegalArgumentException(
            "no " + manifest + ": --open-lm needs the D_k export (--dd-shard-tokens > 0)");
      }
      long perShard = 0;
      long sequences = 0;
      for (String line : OutputFiles.readString(manifest).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode shard = StatsLines.JSON.readTree(line);
        long n = shard.path("num_sequences").asLong();
        boolean partial = shard.path("partial").asBoolean(false);
        if (!partial) {
          perShard = Math.max(perShard, n);
        }
        if (!partial || !dropPartialShards) {
          sequences += n;
        }
      }
      if (sequences == 0) {
        continue; // an empty bucket is no source
      }
      buckets.add(new OpenLmArgs.Bucket(1 << k, perShard == 0 ? sequences : perShard, sequences));
      manifests.add(manifest);
      held += sequences << k;
    }
    long tokens = trainTokens != null ? trainTokens : held * epochs;
    OpenLmArgs.Result r =
        OpenLmArgs.compute(
            buckets,
            tokens,
            epochs,
            gpus,
            globalBatch,
            workers,
            Curriculum.odds(curriculum, buckets.size()));
    String flags = "--dataset-manifest " + String.join(" ", manifests) + " " + r.flags(epochs);
    ObjectNode json = StatsLines.JSON.createObjectNode();
    json.put("decompose_output", root)
        .put("curriculum", curriculum)
        .put("gpus", gpus)
        .put("global_batch", globalBatch)
        .put("workers", workers)
        .put("epochs", epochs)
        .put("train_tokens", tokens)
        .put("tokens_held", held)
        .put("drop_partial_shards", dropPartialShards)
        .put("tokens_per_epoch_asked", r.tokensAskedPerEpoch())
        .put("train_num_samples", r.trainNumSamples())
        .put("flags", flags);
    OutputFiles.writeString(
        dir + "/open_lm.json",
        StatsLines.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
            + "\n",
        "application/json");
    return flags;
  }
}
