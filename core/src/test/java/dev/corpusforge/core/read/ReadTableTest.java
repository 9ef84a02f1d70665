package dev.corpusforge.core.read;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class ReadTableTest {
  TestPipeline p;
  @TempDir Path dir;

  /** "name" upper-cased; an empty name is dropped, the name "boom" makes the parser throw. */
  static final class Names implements ReadTable.RowParser<String> {
    @Override
    public Outcome<String> parse(TableFiles.Row row, ResourceId file) {
      String name = row.text("name");
      if (name == null || name.isBlank()) {
        return Outcome.drop("name_missing", "no name");
      }
      if (name.equals("boom")) {
        throw new IllegalStateException("parser failed");
      }
      return Outcome.keep(file.getFilename() + ":" + name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  static final class TextFiles implements ReadTable.FileParser<String> {
    @Override
    public Outcome<String> parse(ResourceId file) {
      return file.getFilename().endsWith(".txt")
          ? Outcome.keep("file:" + file.getFilename())
          : Outcome.drop("not_text", file.getFilename());
    }
  }

  private static String line(Reject r) {
    return r.getSource().replaceAll(".*/", "")
        + " "
        + r.getStage()
        + " "
        + r.getReason()
        + (r.getSampleId().equals(SampleIds.of(r.getSource())) ? "" : " (id is not the ref's)");
  }

  @Test
  void everyRowIsARecordOrARejectWithItsStage() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "name,other\nada,1\n,2\nboom,3\n\"x,4\n");
    Files.writeString(dir.resolve("b.jsonl"), "{\"name\": \"bob\"}\nnot json\n");
    Files.write(dir.resolve("c.jsonl"), new byte[] {'{', '"', 'n', (byte) 0xff, '}', '\n'});
    Files.writeString(dir.resolve("notes.md"), "# no table");
    // a row longer than the reader's buffer, blank lines (no rows), a bad byte, no final newline
    java.io.ByteArrayOutputStream d = new java.io.ByteArrayOutputStream();
    d.writeBytes(("{\"name\": \"" + "a".repeat(150_000) + "\"}\n\n   \n").getBytes());
    d.writeBytes(new byte[] {'{', '"', 'n', (byte) 0xc3, '}', '\n'});
    d.writeBytes("{\"name\": \"\"}\n{\"name\": \"eve\"}".getBytes());
    Files.write(dir.resolve("d.jsonl"), d.toByteArray());
    StepResult<String> read =
        p.apply(
            ReadTable.of(
                    "name table",
                    List.of(dir + "/*"),
                    List.of("name"),
                    new Names(),
                    StringUtf8Coder.of())
                .withRowStage("names"));
    PAssert.that(read.kept())
        .containsInAnyOrder(
            "a.csv:ADA", "b.jsonl:BOB", "d.jsonl:" + "A".repeat(150_000), "d.jsonl:EVE");
    PAssert.that(
            read.rejects().apply(MapElements.into(TypeDescriptors.strings()).via(r -> line(r))))
        .containsInAnyOrder(
            "a.csv#2 names name_missing",
            "a.csv#3 names error:IllegalStateException",
            "a.csv#@4 read malformed_file",
            "b.jsonl#2 read malformed_row",
            "c.jsonl#1 read invalid_encoding",
            "d.jsonl#2 read invalid_encoding",
            "d.jsonl#3 names name_missing",
            "notes.md read unsupported_file");
    p.run().waitUntilFinish();
  }

  @Test
  void otherFilesAreRecordsThroughTheFileParser() throws IOException {
    Files.writeString(dir.resolve("rows.jsonl"), "{\"name\": \"eve\"}\n");
    Files.writeString(dir.resolve("rows.csv"), "name\nnot read as a table\n");
    Files.writeString(dir.resolve("doc.txt"), "text");
    StepResult<String> read =
        p.apply(
            ReadTable.of("mixed", List.of(dir + "/*"), List.of(), new Names(), StringUtf8Coder.of())
                .withOtherFiles(java.util.EnumSet.of(TableFiles.Format.JSONL), new TextFiles())
                .spread());
    PAssert.that(read.kept()).containsInAnyOrder("rows.jsonl:EVE", "file:doc.txt");
    PAssert.that(
            read.rejects().apply(MapElements.into(TypeDescriptors.strings()).via(r -> line(r))))
        .containsInAnyOrder("rows.csv read not_text");
    p.run().waitUntilFinish();
  }
}
