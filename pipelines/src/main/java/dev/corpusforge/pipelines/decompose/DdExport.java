package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.TarShards;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes the chunks in the released Dataset-Decomposition layout: {@code D_<k>/shard-%07d.tar}
 * holding WebDataset samples {@code {"__key__": "%012d", "txt": "[token, token, …]"}} (tar members
 * {@code <key>.txt}) and a {@code D_<k>/manifest.jsonl} of {@code {"shard", "num_sequences",
 * "partial"}}. Within a bucket, sequences are numbered in the order of their sample ids, and shard
 * s holds numbers {@code [s·n, (s+1)·n)} with {@code n = min(shardTokens / 2^k, 65536)} (released:
 * about 2^20 tokens), so only the last shard of a bucket can be partial; it is kept and marked. The
 * numbering needs no worker to hold a whole bucket: ids are grouped in 256 ranges by their first
 * two hex digits, ranges are counted, and each range numbers its own ids from the count of the
 * ranges before it.
 */
final class DdExport extends PTransform<PCollection<TokenChunk>, PCollection<String>> {
  private final String directory;
  private final long shardTokens;
  private final PCollection<ChunkInfo> infos;

  /**
   * @param infos the chunks without their tokens, for counting ranges
   */
  DdExport(String directory, long shardTokens, PCollection<ChunkInfo> infos) {
    this.directory = directory;
    this.shardTokens = shardTokens;
    this.infos = infos;
  }

  /** Sequences per shard of bucket k: {@code min(shardTokens / 2^k, 65536)}, at least 1. */
  static int perShard(long shardTokens, int k) {
    return (int) Math.max(1, Math.min(shardTokens >> k, 65536));
  }

  /** (bucket, first two hex digits of the sample id) as one key, ordered bucket-major. */
  static String rangeKey(TokenChunk c) {
    return rangeKey(c.bucket(), c.sampleId());
  }

  static String rangeKey(int bucket, String sampleId) {
    return String.format("%02d/%s", bucket, sampleId.substring(0, 2));
  }

  @Override
  public PCollection<String> expand(PCollection<TokenChunk> chunks) {
    PCollectionView<Map<String, Long>> counts =
        infos
            .apply(
                "Range of each sequence",
                MapElements.into(TypeDescriptors.strings())
                    .via((ChunkInfo c) -> rangeKey(c.bucket(), c.sampleId())))
            .apply("Count per range", Count.perElement())
            .apply("Range counts", View.asMap());
    return chunks
        .apply(
            "Key by range",
            WithKeys.of((TokenChunk c) -> rangeKey(c)).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TokenChunk.Coder.INSTANCE))
        .apply("Group ranges", GroupByKey.create())
        .apply(
            "Number sequences", ParDo.of(new NumberFn(counts, shardTokens)).withSideInputs(counts))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(),
                KvCoder.of(VarLongCoder.of(), TokenChunk.TokensCoder.INSTANCE)))
        .apply("Group shards", GroupByKey.create())
        .apply("Write shards", ParDo.of(new WriteShardFn(directory, shardTokens)))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply(
            "Key shards by bucket",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    (KV<Long, String> shard) ->
                        KV.of(Long.toString(shard.getKey()), shard.getValue())))
        .apply("Group buckets", GroupByKey.create())
        .apply("Write manifests", ParDo.of(new WriteManifestFn(directory)));
  }

  /**
   * Numbers a range's sequences after those of every smaller range of its bucket; keys them by
   * (bucket, shard).
   */
  static final class NumberFn
      extends DoFn<KV<String, Iterable<TokenChunk>>, KV<String, KV<Long, int[]>>> {
    private final PCollectionView<Map<String, Long>> counts;
    private final long shardTokens;

    NumberFn(PCollectionView<Map<String, Long>> counts, long shardTokens) {
      this.counts = counts;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<TokenChunk>> range, ProcessContext c) {
      String bucketPrefix = range.getKey().substring(0, 3);
      long start = 0;
      for (Map.Entry<String, Long> e : new TreeMap<>(c.sideInput(counts)).entrySet()) {
        if (e.getKey().startsWith(bucketPrefix) && e.getKey().compareTo(range.getKey()) < 0) {
          start += e.getValue();
        }
      }
      List<TokenChunk> sorted = new ArrayList<>();
      range.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparing(TokenChunk::sampleId));
      for (TokenChunk s : sorted) {
        long number = start++;
        c.output(
            KV.of(
                String.format("%02d/%07d", s.bucket(), number / perShard(shardTokens, s.bucket())),
                KV.of(number, s.tokens())));
      }
    }
  }

  /** A sample's {@code txt} member as the released layout has it: {@code [id, id, …]}. */
  static byte[] txt(int[] tokens) {
    StringBuilder txt = new StringBuilder(tokens.length * 7 + 2).append('[');
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        txt.append(", ");
      }
      txt.append(tokens[i]);
    }
    return txt.append(']').toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes one shard; outputs (bucket, its manifest line). */
  static final class WriteShardFn
      extends DoFn<KV<String, Iterable<KV<Long, int[]>>>, KV<Long, String>> {
    private final String directory;
    private final long shardTokens;

    WriteShardFn(String directory, long shardTokens) {
      this.directory = directory;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Long, int[]>>> shard, OutputReceiver<KV<Long, String>> out)
        throws IOException {
      int k = Integer.parseInt(shard.getKey().substring(0, 2));
      String name = "shard-" + shard.getKey().substring(3);
      List<KV<Long, int[]>> samples = new ArrayList<>();
      shard.getValue().forEach(samples::add);
      samples.sort(Comparator.comparing(KV::getKey));
      TarShards.write(
          directory + "/D_" + k,
          name + ".tar",
          tar -> {
            for (KV<Long, int[]> sample : samples) {
              TarShards.put(
                  tar, String.format("%012d.txt", sample.getKey()), txt(sample.getValue()));
            }
          });
      boolean partial = samples.size() < perShard(shardTokens, k);
      out.output(
          KV.of(
              (long) k,
              StatsLines.JSON
                  .createObjectNode()
                  .put("shard", name)
                  .put("num_sequences", samples.size())
                  .put("partial", partial)
                  .toString()));
    }
  }

  /** Writes D_k/manifest.jsonl; outputs an export stats line per shard. */
  static final class WriteManifestFn extends DoFn<KV<String, Iterable<String>>, String> {
    private final String directory;

    WriteManifestFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> bucket, OutputReceiver<String> out)
        throws IOException {
      List<String> lines = new ArrayList<>();
      bucket.getValue().forEach(lines::add);
      lines.sort(null);
      String dir = directory + "/D_" + bucket.getKey();
      try (OutputStream o =
          Channels.newOutputStream(
              FileSystems.create(
                  FileSystems.matchNewResource(dir + "/manifest.jsonl", false),
                  "application/json"))) {
        for (String line : lines) {
          o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      for (String line : lines) {
        var node = StatsLines.JSON.readTree(line);
        out.output(
            StatsLines.line("export")
                .put("format", "dd")
                .put("file", dir + "/" + node.path("shard").asText() + ".tar")
                .put("samples", node.path("num_sequences").asLong())
                .put("partial", node.path("partial").asBoolean())
                .toString());
      }
    }
  }
}
