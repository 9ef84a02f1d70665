package dev.corpusforge.core.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes a small collection of lines into one text file, sorted (the same lines give the same
 * bytes), by one worker. For the run's statistics: a few hundred lines, where {@code TextIO}'s
 * general write cost a dozen Flink vertices (see {@link ParquetParts}). An empty file when there
 * are no lines.
 */
public final class LinesFile extends PTransform<PCollection<String>, PDone> {
  private final String path;

  private LinesFile(String path) {
    this.path = path;
  }

  public static LinesFile to(String path) {
    return new LinesFile(path);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    lines
        .apply("Gather lines", AllRecords.inOneList())
        .apply("Write file", ParDo.of(new WriteFn(path)));
    return PDone.in(lines.getPipeline());
  }

  static final class WriteFn extends DoFn<List<String>, Void> {
    private final String path;

    WriteFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element List<String> lines) throws IOException {
      List<String> sorted = new ArrayList<>(lines);
      sorted.sort(null);
      try (OutputStream out =
          Channels.newOutputStream(
              FileSystems.create(FileSystems.matchNewResource(path, false), "text/plain"))) {
        for (String line : sorted) {
          out.write(line.getBytes(StandardCharsets.UTF_8));
          out.write('\n');
        }
      }
    }
  }
}
