package dev.corpusforge.pipelines.som;

import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.pipelines.run.OutputFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The few-shot examples a vision lister is shown before each target image, as SoM-LLaVA asks
 * GPT-4V: a folder (local or s3://) of tagged images ({@code NAME.jpg}, {@code .jpeg} or {@code
 * .png}) each with its answer list ({@code NAME.txt}, "1. …" lines and any notes), taken in name
 * order. Each becomes a user turn (the lister prompt with the example's own number of tags, and the
 * image) and an assistant turn (the answer).
 */
public final class ListerExamples {
  /** An example image is read up to this size. */
  static final long MAX_IMAGE_BYTES = 20L << 20;

  private static final Pattern NUMBERED = Pattern.compile("(?m)^\\s*(\\d+)\\s*[.):]");

  private ListerExamples() {}

  /** The files directly in {@code dir} (not in its subfolders): its images and answers. */
  public static List<String> files(String dir) throws IOException {
    List<String> files = new ArrayList<>();
    for (MatchResult.Metadata m : OutputFiles.match((dir.endsWith("/") ? dir : dir + "/") + "*")) {
      if (!m.resourceId().isDirectory()) {
        files.add(m.resourceId().toString());
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * The examples of {@code dir} as chat turns, {@code prompt}'s {@code {n}} replaced by each
   * example's number of tags (its answer's highest numbered line); an IllegalArgumentException
   * naming the file for a folder without examples, an image without an answer or the reverse, or an
   * answer that numbers nothing.
   */
  public static List<ChatClient.Shot> load(String dir, String prompt) throws IOException {
    TreeMap<String, String> images = new TreeMap<>();
    TreeMap<String, String> answers = new TreeMap<>();
    for (String file : files(dir)) {
      String name = file.substring(file.lastIndexOf('/') + 1);
      int dot = name.lastIndexOf('.');
      String stem = dot < 0 ? name : name.substring(0, dot);
      String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
      switch (ext) {
        case "jpg", "jpeg", "png" -> images.put(stem, file);
        case "txt" -> answers.put(stem, file);
        default -> {} // other files (a README) are not examples
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException(
          "--lister-examples " + dir + ": no example images (NAME.jpg/.png with NAME.txt)");
    }
    for (String stem : answers.keySet()) {
      if (!images.containsKey(stem)) {
        throw new IllegalArgumentException(
            "--lister-examples: answer "
                + answers.get(stem)
                + " has no image "
                + stem
                + ".jpg/.png");
      }
    }
    List<ChatClient.Shot> shots = new ArrayList<>();
    for (var e : images.entrySet()) {
      String answerFile = answers.get(e.getKey());
      if (answerFile == null) {
        throw new IllegalArgumentException(
            "--lister-examples: image " + e.getValue() + " has no answer " + e.getKey() + ".txt");
      }
      String answer = OutputFiles.readString(answerFile).strip();
      int tags = highestNumber(answer);
      if (tags < 1) {
        throw new IllegalArgumentException(
            "--lister-examples: answer " + answerFile + " numbers no tag (\"1. …\" lines)");
      }
      byte[] image =
          OutputFiles.readBytes(
              org.apache.beam.sdk.io.FileSystems.matchNewResource(e.getValue(), false),
              MAX_IMAGE_BYTES);
      String mime = e.getValue().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "jpeg";
      shots.add(
          new ChatClient.Shot(
              prompt.replace("{n}", Integer.toString(tags)),
              "data:image/" + mime + ";base64," + Base64.getEncoder().encodeToString(image),
              answer));
    }
    return shots;
  }

  static int highestNumber(String answer) {
    int highest = 0;
    Matcher m = NUMBERED.matcher(answer);
    while (m.find()) {
      try {
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      } catch (NumberFormatException e) {
        // more digits than a tag number has: not a numbered line
      }
    }
    return highest;
  }
}
