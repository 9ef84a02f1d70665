package dev.corpusforge.pipelines.imagetext;

import dev.corpusforge.core.output.Npy;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.io.CarriedColumns;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code exports/datacomp/uids.npy}: the kept rows' uids as a DataComp submission holds them, a
 * numpy array of structured dtype {@code u8,u8} (the uid's two 16-hex-digit halves as unsigned
 * 64-bit integers), sorted, as DataComp's own tools write and search it. The uids meet on one
 * worker (16 bytes each, ~32 while sorting). Emits one {@code export} stats line.
 */
final class DataCompUids extends PTransform<PCollection<ImageTextSample>, PCollection<String>> {
  private final String directory;
  private final String uidColumn;

  DataCompUids(String directory, String uidColumn) {
    this.directory = directory;
    this.uidColumn = uidColumn;
  }

  @Override
  public PCollection<String> expand(PCollection<ImageTextSample> kept) {
    return kept.apply("Gather uids", Combine.globally(new GatherFn(uidColumn)))
        .apply("Write uids.npy", ParDo.of(new WriteFn(directory)));
  }

  /** Uid halves back to back, as they come. */
  static final class Halves implements Serializable {
    long[] values = new long[64];
    int size;

    void add(long high, long low) {
      if (size + 2 > values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = high;
      values[size++] = low;
    }
  }

  static final class GatherFn extends Combine.CombineFn<ImageTextSample, Halves, Halves> {
    private final String uidColumn;

    GatherFn(String uidColumn) {
      this.uidColumn = uidColumn;
    }

    @Override
    public Halves createAccumulator() {
      return new Halves();
    }

    @Override
    public Halves addInput(Halves acc, ImageTextSample sample) {
      // the columns stage let through only rows with a valid uid
      long[] halves = ColumnRules.uidHalves(CarriedColumns.value(sample.getColumns(), uidColumn));
      acc.add(halves[0], halves[1]);
      return acc;
    }

    @Override
    public Halves mergeAccumulators(Iterable<Halves> accs) {
      Halves merged = new Halves();
      for (Halves a : accs) {
        for (int i = 0; i < a.size; i += 2) {
          merged.add(a.values[i], a.values[i + 1]);
        }
      }
      return merged;
    }

    @Override
    public Halves extractOutput(Halves acc) {
      return acc;
    }

    @Override
    public Coder<Halves> getAccumulatorCoder(CoderRegistry registry, Coder<ImageTextSample> in) {
      return SerializableCoder.of(Halves.class);
    }

    @Override
    public Coder<Halves> getDefaultOutputCoder(CoderRegistry registry, Coder<ImageTextSample> in) {
      return SerializableCoder.of(Halves.class);
    }
  }

  static final class WriteFn extends DoFn<Halves, String> {
    private final String directory;

    WriteFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element Halves uids, OutputReceiver<String> out) throws IOException {
      String path = directory + "/uids.npy";
      OutputFiles.writeBytes(path, npy(uids), "application/octet-stream");
      out.output(
          StatsLines.line("export")
              .put("format", "datacomp")
              .put("file", path)
              .put("samples", uids.size / 2)
              .toString());
    }
  }

  /**
   * The {@code .npy} file ({@link Npy}): the rows little-endian, sorted by (high, low) as unsigned
   * numbers.
   */
  static byte[] npy(Halves uids) {
    int rows = uids.size / 2;
    long[][] sorted = new long[rows][];
    for (int i = 0; i < rows; i++) {
      sorted[i] = new long[] {uids.values[2 * i], uids.values[2 * i + 1]};
    }
    Arrays.sort(
        sorted,
        Comparator.<long[]>comparingLong(r -> r[0] ^ Long.MIN_VALUE)
            .thenComparingLong(r -> r[1] ^ Long.MIN_VALUE));
    ByteBuffer out = Npy.start("[('f0', '<u8'), ('f1', '<u8')]", new long[] {rows}, 16 * rows);
    for (long[] row : sorted) {
      out.putLong(row[0]).putLong(row[1]);
    }
    return out.array();
  }
}
