package dev.corpusforge.pipelines.som;

import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.RecordSeeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The questions a listing answers: one per non-blank line of a file ({@code #} starts a comment;
 * the default pool ships with the pipeline, in our own words), one chosen per image from the run
 * seed and the image's sample id, so a re-run asks the same question.
 */
public record InstructionPool(List<String> instructions) implements Serializable {
  public InstructionPool {
    instructions = List.copyOf(instructions);
    if (instructions.isEmpty()) {
      throw new IllegalArgumentException("the instruction pool is empty");
    }
  }

  public static InstructionPool defaults() {
    try (InputStream in = InstructionPool.class.getResourceAsStream("instructions.txt")) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pool in a file (local or s3://). */
  public static InstructionPool load(String location) throws IOException {
    try {
      return parse(OutputFiles.readString(location));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--instructions " + location + ": " + e.getMessage());
    }
  }

  static InstructionPool parse(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        lines.add(s.replace("\\n", "\n"));
      }
    }
    return new InstructionPool(lines);
  }

  public String choose(long seed, String sampleId) {
    return instructions.get(
        (int)
            Math.floorMod(
                RecordSeeds.of(seed, "instruction/" + sampleId), (long) instructions.size()));
  }
}
