package dev.corpusforge.pipelines.io;

import static dev.corpusforge.core.read.ReadReasons.URL_MISSING;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads URL lists as img2dataset takes them ({@link TableFiles}): CSV and TSV with a header row,
 * JSON lines, or Parquet, with the URL in {@code urlColumn} and the caption in {@code
 * captionColumn}. Each row is one sample, identified by {@code file#row} (rows numbered from 1, the
 * header not counted); its source is the URL. The format follows the file extension ({@code .csv},
 * {@code .tsv}, {@code .jsonl}/{@code .json}, {@code .parquet}).
 */
public final class UrlListSource {
  /**
   * Column names of a URL list.
   *
   * @param carried columns copied into each record's {@code columns} ({@link CarriedColumns})
   */
  public record Columns(String url, String caption, List<String> carried) implements Serializable {
    public Columns {
      carried = List.copyOf(carried);
    }

    /** URL and caption columns alone: no column carried. */
    public Columns(String url, String caption) {
      this(url, caption, List.of());
    }
  }

  private UrlListSource() {}

  public static ReadTable<ImageTextSample> of(List<String> patterns, Columns columns) {
    return ReadTable.of(
            "URL list",
            patterns,
            List.of(columns.url()),
            new UrlRows(columns),
            AvroCoder.of(ImageTextSample.class))
        .spread();
  }

  /** A row with a URL is a sample to fetch; one without is {@code url_missing}. */
  record UrlRows(Columns columns) implements ReadTable.RowParser<ImageTextSample> {
    @Override
    public Outcome<ImageTextSample> parse(TableFiles.Row r, ResourceId file) {
      String url = r.text(columns.url());
      if (url == null || url.isBlank()) {
        return Outcome.drop(URL_MISSING, "no value in column '" + columns.url() + "'");
      }
      String trimmed = url.strip();
      return Outcome.keep(
          ImageTextSample.newBuilder()
              .setSampleId(TableFiles.sampleId(r.ref()))
              .setSource(trimmed)
              .setSourceRef(r.ref())
              .setUrl(trimmed)
              .setCaption(r.text(columns.caption()))
              .setColumns(CarriedColumns.of(columns.carried(), r::get))
              .build());
    }
  }
}
