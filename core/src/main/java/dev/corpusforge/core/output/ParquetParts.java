package dev.corpusforge.core.output;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes records as Parquet files {@code DIR/part-NNNNN-of-MMMMM.parquet}, or {@code
 * DIR/<partition>/part-…} when records are partitioned: one file per bundle and partition (on
 * Flink's batch runner a bundle is a worker's whole share), written under a temporary name in the
 * run's working folder and renamed into place once every bundle has finished, so that the file of a
 * failed attempt never shows. A plain write of no records still leaves one empty file with the
 * schema.
 *
 * <p>Why not {@code FileIO.write()}: Beam's {@code WriteFiles} is general (windows, spilling past a
 * number of open writers, shard counts) and expands to about fifteen Flink vertices per write,
 * among them three shuffles and a side input; every run writes three outputs, and translating,
 * submitting and starting those vertices was a large part of a short run's cost. Here a write is
 * the writing step, chained to the step before it, and one grouping of the files' names ({@link
 * AllRecords}).
 */
public final class ParquetParts extends PTransform<PCollection<GenericRecord>, PDone> {
  private final FileIO.Sink<GenericRecord> sink;
  private final String directory;
  private final String tempDirectory;
  private final SerializableFunction<GenericRecord, String> partition;

  private ParquetParts(
      FileIO.Sink<GenericRecord> sink,
      String directory,
      String tempDirectory,
      SerializableFunction<GenericRecord, String> partition) {
    this.sink = sink;
    this.directory = directory;
    this.tempDirectory = tempDirectory;
    this.partition = partition;
  }

  /**
   * @param sink a prototype of the file format's sink, copied for every file
   * @param directory where the files go
   * @param tempDirectory where they are written before they are complete (the run's working folder,
   *     removed at the end)
   */
  public static ParquetParts to(
      FileIO.Sink<GenericRecord> sink, String directory, String tempDirectory) {
    return new ParquetParts(sink, directory, tempDirectory, null);
  }

  /** Writes each record into the sub-folder its partition names (e.g. {@code len=256}). */
  public ParquetParts partitionedBy(SerializableFunction<GenericRecord, String> partition) {
    return new ParquetParts(sink, directory, tempDirectory, partition);
  }

  @Override
  public PDone expand(PCollection<GenericRecord> records) {
    return records
        .apply("Write bundles", ParDo.of(new WriteBundleFn(bundleFiles())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(placeFiles());
  }

  /**
   * The writing half on its own, for a step that writes its records where it makes them (so that
   * they are not encoded again on the way to a separate writing step): it writes a bundle's records
   * and names its files at the bundle's end, for {@link #placeFiles()}.
   */
  public BundleFiles bundleFiles() {
    return new BundleFiles(sink, tempDirectory, partition);
  }

  /**
   * The placing half: gathers the (partition, temporary file) names every bundle wrote and renames
   * the files into place.
   */
  public PTransform<PCollection<KV<String, String>>, PDone> placeFiles() {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<KV<String, String>> files) {
        files
            // one list whatever was written, so that the renaming step runs even for no records
            .apply("Gather file names", AllRecords.inOneList())
            .apply("Rename into place", ParDo.of(new RenameFn(sink, directory, partition == null)));
        return PDone.in(files.getPipeline());
      }
    };
  }

  /** The name of the {@code index}-th of {@code count} files. */
  static String partName(int index, int count) {
    return String.format("part-%05d-of-%05d.parquet", index, count);
  }

  /** A file being written through a copy of the sink. */
  private record OpenFile(
      String path, WritableByteChannel channel, FileIO.Sink<GenericRecord> sink) {
    static OpenFile create(FileIO.Sink<GenericRecord> prototype, String path) throws IOException {
      WritableByteChannel channel =
          FileSystems.create(FileSystems.matchNewResource(path, false), "application/octet-stream");
      FileIO.Sink<GenericRecord> sink = SerializableUtils.clone(prototype);
      sink.open(channel);
      return new OpenFile(path, channel, sink);
    }

    /** Completes the file (Parquet's footer); the sink may already have closed the channel. */
    void finish() throws IOException {
      sink.flush();
      if (channel.isOpen()) {
        channel.close();
      }
    }
  }

  /**
   * Writes one bundle's records under temporary names, a file per partition: {@link #start} at the
   * bundle's start, {@link #write} each record, {@link #finish} at its end for the (partition,
   * temporary file) names to emit, {@link #abandon} when the bundle failed.
   */
  public static final class BundleFiles implements Serializable {
    private final FileIO.Sink<GenericRecord> prototype;
    private final String tempDirectory;
    private final SerializableFunction<GenericRecord, String> partition;
    private transient Map<String, OpenFile> open;

    BundleFiles(
        FileIO.Sink<GenericRecord> prototype,
        String tempDirectory,
        SerializableFunction<GenericRecord, String> partition) {
      this.prototype = prototype;
      this.tempDirectory = tempDirectory;
      this.partition = partition;
    }

    public void start() {
      open = new HashMap<>();
    }

    public void write(GenericRecord record) throws IOException {
      String key = partition == null ? "" : partition.apply(record);
      OpenFile file = open.get(key);
      if (file == null) {
        file = OpenFile.create(prototype, tempDirectory + "/" + UUID.randomUUID() + ".parquet");
        open.put(key, file);
      }
      file.sink().write(Utf8Strings.of(record));
    }

    /** Completes the bundle's files; their (partition, temporary file) names. */
    public List<KV<String, String>> finish() throws IOException {
      List<KV<String, String>> written = new ArrayList<>();
      for (Map.Entry<String, OpenFile> e : open.entrySet()) {
        e.getValue().finish();
        written.add(KV.of(e.getKey(), e.getValue().path()));
      }
      open = null;
      return written;
    }

    /**
     * Closes what a failed bundle left open; its files stay in the working folder, which the run
     * removes, and are never renamed into place.
     */
    public void abandon() {
      if (open != null) {
        for (OpenFile file : open.values()) {
          try {
            file.channel().close();
          } catch (IOException | RuntimeException ignored) {
            // nothing more to do for a file that is never renamed into place
          }
        }
        open = null;
      }
    }
  }

  /** Writes a bundle's records, a file per partition; emits (partition, temporary file). */
  static final class WriteBundleFn extends DoFn<GenericRecord, KV<String, String>> {
    private final BundleFiles files;

    WriteBundleFn(BundleFiles files) {
      this.files = files;
    }

    @StartBundle
    public void startBundle() {
      files.start();
    }

    @ProcessElement
    public void process(@Element GenericRecord record) throws IOException {
      files.write(record);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws IOException {
      for (KV<String, String> written : files.finish()) {
        context.output(written, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }

    @Teardown
    public void teardown() {
      files.abandon();
    }
  }

  /** Renames every written file to its place; writes one empty file when a plain write had none. */
  static final class RenameFn extends DoFn<List<KV<String, String>>, Void> {
    private final FileIO.Sink<GenericRecord> prototype;
    private final String directory;
    private final boolean emptyFileWhenNone;

    RenameFn(FileIO.Sink<GenericRecord> prototype, String directory, boolean emptyFileWhenNone) {
      this.prototype = prototype;
      this.directory = directory;
      this.emptyFileWhenNone = emptyFileWhenNone;
    }

    @ProcessElement
    public void process(@Element List<KV<String, String>> files) throws IOException {
      Map<String, List<String>> byPartition = new TreeMap<>();
      for (KV<String, String> file : files) {
        byPartition.computeIfAbsent(file.getKey(), k -> new ArrayList<>()).add(file.getValue());
      }
      if (byPartition.isEmpty() && emptyFileWhenNone) {
        OpenFile.create(prototype, directory + "/" + partName(0, 1)).finish();
        return;
      }
      for (Map.Entry<String, List<String>> e : byPartition.entrySet()) {
        String folder = e.getKey().isEmpty() ? directory : directory + "/" + e.getKey();
        List<String> temps = new ArrayList<>(e.getValue());
        temps.sort(null);
        List<ResourceId> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (int i = 0; i < temps.size(); i++) {
          from.add(FileSystems.matchNewResource(temps.get(i), false));
          to.add(folder + "/" + partName(i, temps.size()));
        }
        // a retried step finds some already renamed; a file at neither place is rows lost
        FileSystems.rename(
            from,
            to.stream().map(t -> FileSystems.matchNewResource(t, false)).toList(),
            MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
        requireAll(to);
      }
    }

    /** Fails, naming them, when some of {@code files} do not exist. */
    static void requireAll(List<String> files) throws IOException {
      List<String> missing = new ArrayList<>();
      List<MatchResult> found = FileSystems.match(files, EmptyMatchTreatment.ALLOW);
      for (int i = 0; i < files.size(); i++) {
        if (found.get(i).status() != MatchResult.Status.OK || found.get(i).metadata().isEmpty()) {
          missing.add(files.get(i));
        }
      }
      if (!missing.isEmpty()) {
        throw new IOException(
            "written files missing from both their temporary and their final place: " + missing);
      }
    }
  }
}
