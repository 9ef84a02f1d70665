package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.TarShards;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes the chunks in the released Dataset-Decomposition layout: {@code D_<k>/shard-%07d.tar}
 * holding WebDataset samples {@code {"__key__": "%012d", "txt": "[token, token, …]"}} (tar members
 * {@code <key>.txt}); each shard's export line ({@code file}, {@code samples}, {@code partial})
 * goes to the run's statistics, from which the driver writes {@code D_<k>/manifest.jsonl} of {@code
 * {"shard", "num_sequences", "partial"}} ({@code DdManifests}). Within a bucket, sequences are
 * numbered in the order of their sample ids, and shard s holds numbers {@code [s·n, (s+1)·n)} with
 * {@code n = min(shardTokens / 2^k, 65536)} (released: about 2^20 tokens), so only the last shard
 * of a bucket can be partial; it is kept and marked.
 *
 * <p>The numbering moves counts, not ids or tokens, and needs no worker to hold a whole bucket: the
 * sequences are counted per bin, a bin being the sequences of one bucket whose sample ids (hex
 * digests) share their first four digits, so the bins of a bucket follow one another in sample-id
 * order and each bin's first number is the count of the bins before it. That table (at most 65,536
 * counts per bucket) goes to every worker, where each chunk finds the shards its bin's numbers fall
 * in: one, unless a shard boundary falls inside the bin, in which case the chunk goes to each of
 * them. A shard's writer so receives whole bins, numbers their sequences from the first bin's start
 * in sample-id order, and writes those whose numbers are its own. The token payloads cross one
 * shuffle, grouped by shard.
 */
final class DdExport extends PTransform<PCollection<TokenChunk>, PCollection<String>> {
  /** Hex digits of the sample id that name a chunk's bin within its bucket. */
  static final int BIN_DIGITS = 4;

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

  /**
   * A chunk's bin: its bucket and the first {@link #BIN_DIGITS} hex digits of its sample id, as one
   * number ordered bucket-major, then as the ids sort.
   */
  static int bin(int bucket, String sampleId) {
    int prefix = 0;
    for (int i = 0; i < BIN_DIGITS; i++) {
      int digit = Character.digit(sampleId.charAt(i), 16);
      if (digit < 0 || Character.isUpperCase(sampleId.charAt(i))) {
        throw new IllegalArgumentException("not a lower-case hex sample id: " + sampleId);
      }
      prefix = prefix << 4 | digit;
    }
    return bucket << (4 * BIN_DIGITS) | prefix;
  }

  static int bucketOfBin(int bin) {
    return bin >>> (4 * BIN_DIGITS);
  }

  /** (bucket, shard) as one key, as the shard's tar is named. */
  static String shardKey(int bucket, long shard) {
    return String.format("%02d/%07d", bucket, shard);
  }

  @Override
  public PCollection<String> expand(PCollection<TokenChunk> chunks) {
    PCollectionView<Map<Integer, Long>> binCounts =
        infos.apply("Sequences per bin", Combine.globally(new CountPerBin()).asSingletonView());
    return chunks
        .apply(
            "Key by shard",
            ParDo.of(new ShardOfFn(binCounts, shardTokens)).withSideInputs(binCounts))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(),
                KvCoder.of(
                    StringUtf8Coder.of(),
                    KvCoder.of(VarLongCoder.of(), TokenChunk.TokensCoder.INSTANCE))))
        .apply("Group shards", GroupByKey.create())
        .apply("Write shards", ParDo.of(new WriteShardFn(directory, shardTokens)));
  }

  /** Sequences per {@link #bin}. */
  static final class CountPerBin
      extends Combine.CombineFn<ChunkInfo, Map<Integer, Long>, Map<Integer, Long>> {
    @Override
    public Map<Integer, Long> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<Integer, Long> addInput(Map<Integer, Long> counts, ChunkInfo chunk) {
      counts.merge(bin(chunk.bucket(), chunk.sampleId()), 1L, Long::sum);
      return counts;
    }

    @Override
    public Map<Integer, Long> mergeAccumulators(Iterable<Map<Integer, Long>> all) {
      Map<Integer, Long> merged = new HashMap<>();
      for (Map<Integer, Long> counts : all) {
        counts.forEach((bin, n) -> merged.merge(bin, n, Long::sum));
      }
      return merged;
    }

    @Override
    public Map<Integer, Long> extractOutput(Map<Integer, Long> counts) {
      return counts;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<Integer, Long>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<ChunkInfo> input) {
      return MapCoder.of(VarIntCoder.of(), VarLongCoder.of());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<Integer, Long>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<ChunkInfo> input) {
      return MapCoder.of(VarIntCoder.of(), VarLongCoder.of());
    }
  }

  /** Each bin's first number within its bucket, and its count: the bins of one table, sorted. */
  static final class BinStarts {
    private final int[] bins;
    private final long[] starts;
    private final long[] sizes;

    BinStarts(Map<Integer, Long> counts) {
      TreeMap<Integer, Long> sorted = new TreeMap<>(counts);
      bins = new int[sorted.size()];
      starts = new long[sorted.size()];
      sizes = new long[sorted.size()];
      int i = 0;
      int bucket = -1;
      long number = 0;
      for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
        if (bucketOfBin(e.getKey()) != bucket) {
          bucket = bucketOfBin(e.getKey());
          number = 0;
        }
        bins[i] = e.getKey();
        starts[i] = number;
        sizes[i] = e.getValue();
        number += e.getValue();
        i++;
      }
    }

    /** The first number of {@code bin} and its count, as {@code [start, count]}. */
    long[] of(int bin) {
      int i = Arrays.binarySearch(bins, bin);
      if (i < 0) {
        throw new IllegalStateException("bin " + Integer.toHexString(bin) + " was not counted");
      }
      return new long[] {starts[i], sizes[i]};
    }
  }

  /**
   * Keys each chunk's tokens, with its bin's first number, by the shard or shards its bin's numbers
   * fall in.
   */
  static final class ShardOfFn extends DoFn<TokenChunk, KV<String, KV<String, KV<Long, int[]>>>> {
    private final PCollectionView<Map<Integer, Long>> binCounts;
    private final long shardTokens;
    private transient Map<Integer, Long> indexedFrom;
    private transient BinStarts starts;

    ShardOfFn(PCollectionView<Map<Integer, Long>> binCounts, long shardTokens) {
      this.binCounts = binCounts;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(@Element TokenChunk chunk, ProcessContext c) {
      Map<Integer, Long> counts = c.sideInput(binCounts);
      if (counts != indexedFrom) {
        starts = new BinStarts(counts);
        indexedFrom = counts;
      }
      long[] bin = starts.of(bin(chunk.bucket(), chunk.sampleId()));
      int perShard = perShard(shardTokens, chunk.bucket());
      KV<String, KV<Long, int[]>> member = KV.of(chunk.sampleId(), KV.of(bin[0], chunk.tokens()));
      for (long s = bin[0] / perShard; s <= (bin[0] + bin[1] - 1) / perShard; s++) {
        c.output(KV.of(shardKey(chunk.bucket(), s), member));
      }
    }
  }

  /**
   * Writes one shard: numbers the whole bins it received in sample-id order, each from its bin's
   * first number, and writes the sequences whose numbers are the shard's; outputs its export line.
   */
  static final class WriteShardFn
      extends DoFn<KV<String, Iterable<KV<String, KV<Long, int[]>>>>, String> {
    private final String directory;
    private final long shardTokens;

    WriteShardFn(String directory, long shardTokens) {
      this.directory = directory;
      this.shardTokens = shardTokens;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, KV<Long, int[]>>>> shard,
        OutputReceiver<String> out)
        throws IOException {
      int k = Integer.parseInt(shard.getKey().substring(0, 2));
      long index = Long.parseLong(shard.getKey().substring(3));
      int perShard = perShard(shardTokens, k);
      long first = index * perShard;
      String name = "shard-" + shard.getKey().substring(3);
      List<KV<String, KV<Long, int[]>>> received = new ArrayList<>();
      shard.getValue().forEach(received::add);
      received.sort(Comparator.comparing(KV::getKey));
      // whole bins, one after another in the numbering: the first id is its bin's first number
      List<int[]> mine = new ArrayList<>();
      long number = received.get(0).getValue().getKey();
      for (KV<String, KV<Long, int[]>> member : received) {
        if (number >= first && number < first + perShard) {
          mine.add(member.getValue().getValue());
        }
        number++;
      }
      String dir = directory + "/D_" + k;
      TarShards.write(
          dir,
          name + ".tar",
          tar -> {
            long n = first;
            for (int[] tokens : mine) {
              TarShards.put(tar, String.format("%012d.txt", n++), TokenText.of(tokens));
            }
          });
      out.output(
          StatsLines.line("export")
              .put("format", "dd")
              .put("file", dir + "/" + name + ".tar")
              .put("samples", mine.size())
              .put("partial", mine.size() < perShard)
              .toString());
    }
  }
}
