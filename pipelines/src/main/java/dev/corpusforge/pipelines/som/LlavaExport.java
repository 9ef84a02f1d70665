package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.AllRecords;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.SomSample;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes {@code exports/llava/}: the tagged images as {@code images/<sample_id>.jpg} and {@code
 * som_listing.json}, a JSON array of LLaVA's training records {@code {id, image, conversations:
 * [{from, value}, …]}} in sample-id order, {@code image} relative to the export folder (LLaVA's
 * {@code --image_folder}). Written even when nothing was kept.
 */
final class LlavaExport extends PTransform<PCollection<SomSample>, PCollection<String>> {
  static final String FILE = "som_listing.json";
  private final String directory;

  LlavaExport(String directory) {
    this.directory = directory;
  }

  static String imagePath(String sampleId) {
    return "images/" + sampleId + ".jpg";
  }

  @Override
  public PCollection<String> expand(PCollection<SomSample> samples) {
    return samples
        .apply("Write tagged images", ParDo.of(new WriteImageFn(directory)))
        .setCoder(StringUtf8Coder.of())
        .apply("All LLaVA records", AllRecords.inOneList())
        .apply("Write " + FILE, ParDo.of(new WriteJsonFn(directory)));
  }

  static final class WriteImageFn extends DoFn<SomSample, String> {
    private final String directory;

    WriteImageFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element SomSample s, OutputReceiver<String> out) throws IOException {
      String file = directory + "/" + imagePath(s.getSampleId());
      try (WritableByteChannel channel =
          FileSystems.create(FileSystems.matchNewResource(file, false), "image/jpeg")) {
        channel.write(s.getImage().duplicate());
      }
      out.output(s.getConversation());
    }
  }

  static final class WriteJsonFn extends DoFn<List<String>, String> {
    private final String directory;

    WriteJsonFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<String> all, OutputReceiver<String> out) throws IOException {
      List<JsonNode> records = new ArrayList<>();
      for (String r : all) {
        if (!r.isEmpty()) {
          records.add(StatsLines.JSON.readTree(r));
        }
      }
      records.sort((a, b) -> a.path("id").asText().compareTo(b.path("id").asText()));
      String file = directory + "/" + FILE;
      try (JsonGenerator json = OutputFiles.createJson(file)) {
        json.writeStartArray();
        for (JsonNode r : records) {
          json.writeRaw('\n');
          json.writeTree(r);
        }
        json.writeRaw('\n');
        json.writeEndArray();
      }
      out.output(
          StatsLines.line("export")
              .put("format", "llava")
              .put("file", file)
              .put("samples", records.size())
              .toString());
    }
  }
}
