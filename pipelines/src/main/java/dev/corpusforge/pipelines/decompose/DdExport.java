package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.TarShards;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
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
 * about 2^20 tokens), so only the last shard of a bucket can be partial; it is kept and marked.
 *
 * <p>The numbering moves ids, not tokens, and needs no worker to hold a whole bucket: ids are
 * grouped in 256 ranges by their first two hex digits, ranges are counted, and each range numbers
 * its own ids from the count of the ranges before it, keeping only the first id of each shard. That
 * list (one id per shard) goes to every worker, where each chunk finds its shard by the last first
 * id not after its own; the token payloads cross one shuffle, grouped by shard.
 */
final class DdExport extends PTransform<PCollection<TokenChunk>, PCollection<String>> {
  private final String directory;
  private final long shardTokens;
  private final PCollection<ChunkInfo> infos;

  /**
   * @param infos the chunks without their tokens, for counting and numbering
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
  static String rangeKey(int bucket, String sampleId) {
    return String.format("%02d/%s", bucket, sampleId.substring(0, 2));
  }

  /** (bucket, shard) as one key, as the shard's tar is named. */
  static String shardKey(int bucket, long shard) {
    return String.format("%02d/%07d", bucket, shard);
  }

  @Override
  public PCollection<String> expand(PCollection<TokenChunk> chunks) {
    PCollection<KV<String, String>> idsByRange =
        infos
            .apply(
                "Range of each sequence",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((ChunkInfo c) -> KV.of(rangeKey(c.bucket(), c.sampleId()), c.sampleId())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollectionView<Map<String, Long>> counts =
        idsByRange
            .apply("Range keys", Keys.create())
            .apply("Count per range", Count.perElement())
            .apply("Range counts", View.asMap());
    PCollectionView<Map<Integer, Iterable<KV<Long, String>>>> shardStarts =
        idsByRange
            .apply("Group ranges", GroupByKey.create())
            .apply(
                "First id of each shard",
                ParDo.of(new ShardStartsFn(counts, shardTokens)).withSideInputs(counts))
            .setCoder(
                KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
            .apply("Shard starts", View.asMultimap());
    return chunks
        .apply("Key by shard", ParDo.of(new ShardOfFn(shardStarts)).withSideInputs(shardStarts))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(),
                KvCoder.of(StringUtf8Coder.of(), TokenChunk.TokensCoder.INSTANCE)))
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
   * Numbers a range's ids after those of every smaller range of its bucket; outputs (bucket,
   * (shard, id)) for each id that starts a shard.
   */
  static final class ShardStartsFn
      extends DoFn<KV<String, Iterable<String>>, KV<Integer, KV<Long, String>>> {
    private final PCollectionView<Map<String, Long>> counts;
    private final long shardTokens;

    ShardStartsFn(PCollectionView<Map<String, Long>> counts, long shardTokens) {
      this.counts = counts;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> range, ProcessContext c) {
      String bucketPrefix = range.getKey().substring(0, 3);
      int bucket = Integer.parseInt(range.getKey().substring(0, 2));
      int perShard = perShard(shardTokens, bucket);
      long number = 0;
      for (Map.Entry<String, Long> e : c.sideInput(counts).entrySet()) {
        if (e.getKey().startsWith(bucketPrefix) && e.getKey().compareTo(range.getKey()) < 0) {
          number += e.getValue();
        }
      }
      List<String> sorted = new ArrayList<>();
      range.getValue().forEach(sorted::add);
      sorted.sort(null);
      for (String id : sorted) {
        if (number % perShard == 0) {
          c.output(KV.of(bucket, KV.of(number / perShard, id)));
        }
        number++;
      }
    }
  }

  /**
   * Keys each chunk's tokens by its shard: the last shard of its bucket whose first id is not after
   * the chunk's own.
   */
  static final class ShardOfFn extends DoFn<TokenChunk, KV<String, KV<String, int[]>>> {
    private final PCollectionView<Map<Integer, Iterable<KV<Long, String>>>> shardStarts;
    private transient Map<Integer, Iterable<KV<Long, String>>> indexedFrom;
    private transient Map<Integer, String[]> firstIds;

    ShardOfFn(PCollectionView<Map<Integer, Iterable<KV<Long, String>>>> shardStarts) {
      this.shardStarts = shardStarts;
    }

    @ProcessElement
    public void process(@Element TokenChunk chunk, ProcessContext c) {
      Map<Integer, Iterable<KV<Long, String>>> starts = c.sideInput(shardStarts);
      if (starts != indexedFrom) {
        firstIds = firstIdsByBucket(starts);
        indexedFrom = starts;
      }
      String[] firsts = firstIds.get(chunk.bucket());
      int shard = Arrays.binarySearch(firsts, chunk.sampleId());
      if (shard < 0) {
        shard = -shard - 2;
      }
      if (shard < 0) {
        throw new IllegalStateException(
            "sequence " + chunk.sampleId() + " sorts before the first of bucket " + chunk.bucket());
      }
      c.output(KV.of(shardKey(chunk.bucket(), shard), KV.of(chunk.sampleId(), chunk.tokens())));
    }

    /** Per bucket, the first id of shard s at index s. */
    static Map<Integer, String[]> firstIdsByBucket(
        Map<Integer, Iterable<KV<Long, String>>> starts) {
      Map<Integer, String[]> byBucket = new HashMap<>();
      starts.forEach(
          (bucket, shards) -> {
            List<KV<Long, String>> list = new ArrayList<>();
            shards.forEach(list::add);
            String[] ids = new String[list.size()];
            for (KV<Long, String> s : list) {
              ids[Math.toIntExact(s.getKey())] = s.getValue();
            }
            byBucket.put(bucket, ids);
          });
      return byBucket;
    }
  }

  /**
   * Writes one shard, its sequences numbered in sample-id order; outputs (bucket, manifest line).
   */
  static final class WriteShardFn
      extends DoFn<KV<String, Iterable<KV<String, int[]>>>, KV<Long, String>> {
    private final String directory;
    private final long shardTokens;

    WriteShardFn(String directory, long shardTokens) {
      this.directory = directory;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, int[]>>> shard,
        OutputReceiver<KV<Long, String>> out)
        throws IOException {
      int k = Integer.parseInt(shard.getKey().substring(0, 2));
      long index = Long.parseLong(shard.getKey().substring(3));
      int perShard = perShard(shardTokens, k);
      String name = "shard-" + shard.getKey().substring(3);
      List<KV<String, int[]>> samples = new ArrayList<>();
      shard.getValue().forEach(samples::add);
      samples.sort(Comparator.comparing(KV::getKey));
      TarShards.write(
          directory + "/D_" + k,
          name + ".tar",
          tar -> {
            long number = index * perShard;
            for (KV<String, int[]> sample : samples) {
              TarShards.put(
                  tar, String.format("%012d.txt", number++), TokenText.of(sample.getValue()));
            }
          });
      boolean partial = samples.size() < perShard;
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
