package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Writes {@code exports/llava/}: the tagged images as {@code images/<sample_id>.jpg} and {@code
 * som_listing.json}, a JSON array of LLaVA's training records {@code {id, image, conversations:
 * [{from, value}, …]}} in sample-id order, {@code image} relative to the export folder (LLaVA's
 * {@code --image_folder}). With {@code --split qa}, {@code som_qa.json} holds the QA split's
 * records in the same layout, over the same images. Written even when nothing was kept.
 */
final class LlavaExport extends PTransform<PCollection<SomSample>, PCollection<String>> {
  static final String FILE = "som_listing.json";
  static final String QA_FILE = "som_qa.json";
  private static final TupleTag<String> LISTING = new TupleTag<>() {};
  private static final TupleTag<String> QA = new TupleTag<>() {};

  private final String directory;
  private final boolean qa;

  /**
   * @param qa whether the samples carry the QA split's conversations, written to {@code
   *     som_qa.json} (same layout, same images)
   */
  LlavaExport(String directory, boolean qa) {
    this.directory = directory;
    this.qa = qa;
  }

  static String imagePath(String sampleId) {
    return "images/" + sampleId + ".jpg";
  }

  /**
   * A sample's LLaVA record: {@code {id, image, conversations: [{from: human, value:
   * "<image>\nQ1"}, {from: gpt, value: A1}, {from: human, value: Q2}, …]}}, the image token in the
   * first turn only.
   */
  static String record(String sampleId, List<MarkQuestions.Turn> turns) {
    ObjectNode n =
        StatsLines.JSON.createObjectNode().put("id", sampleId).put("image", imagePath(sampleId));
    ArrayNode conversation = n.putArray("conversations");
    for (int i = 0; i < turns.size(); i++) {
      conversation
          .addObject()
          .put("from", "human")
          .put("value", (i == 0 ? "<image>\n" : "") + turns.get(i).question());
      conversation.addObject().put("from", "gpt").put("value", turns.get(i).answer());
    }
    return n.toString();
  }

  @Override
  public PCollection<String> expand(PCollection<SomSample> samples) {
    PCollectionTuple records =
        samples.apply(
            "Write tagged images",
            ParDo.of(new WriteImageFn(directory)).withOutputTags(LISTING, TupleTagList.of(QA)));
    PCollection<String> lines =
        records
            .get(LISTING)
            .setCoder(StringUtf8Coder.of())
            .apply("All LLaVA records", AllRecords.inOneList())
            .apply("Write " + FILE, ParDo.of(new WriteJsonFn(directory, FILE)));
    PCollection<String> qaRecords = records.get(QA).setCoder(StringUtf8Coder.of());
    if (!qa) {
      return lines;
    }
    return PCollectionList.of(lines)
        .and(
            qaRecords
                .apply("All LLaVA QA records", AllRecords.inOneList())
                .apply("Write " + QA_FILE, ParDo.of(new WriteJsonFn(directory, QA_FILE))))
        .apply("LLaVA export lines", Flatten.pCollections());
  }

  static final class WriteImageFn extends DoFn<SomSample, String> {
    private final String directory;

    WriteImageFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element SomSample s, MultiOutputReceiver out) throws IOException {
      String file = directory + "/" + imagePath(s.getSampleId());
      try (WritableByteChannel channel =
          FileSystems.create(FileSystems.matchNewResource(file, false), "image/jpeg")) {
        channel.write(s.getImage().duplicate());
      }
      out.get(LISTING).output(s.getConversation());
      if (s.getQaConversation() != null) {
        out.get(QA).output(s.getQaConversation());
      }
    }
  }

  static final class WriteJsonFn extends DoFn<List<String>, String> {
    private final String directory;
    private final String name;

    WriteJsonFn(String directory, String name) {
      this.directory = directory;
      this.name = name;
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
      String file = directory + "/" + name;
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
              .put("format", name.equals(QA_FILE) ? "llava-qa" : "llava")
              .put("file", file)
              .put("samples", records.size())
              .toString());
    }
  }
}
