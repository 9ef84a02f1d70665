package dev.corpusforge.pipelines.schedule;

import dev.corpusforge.pipelines.run.OutputFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The files under a job's input prefix (local or s3://), in path order. Left out: names that start
 * with {@code .} or {@code _} in any segment (temporary and marker files, as Hadoop's input formats
 * do), files the {@code include} glob does not match, and files modified in the last {@code
 * settleSeconds} (likely still being written; a later run takes them).
 */
public final class InputScan {
  private InputScan() {}

  public static List<RunLedger.InputFile> list(
      String prefix, String include, long settleSeconds, Instant now) throws IOException {
    String root = prefix.endsWith("/") ? prefix : prefix + "/";
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + include);
    boolean all = include.equals("**");
    long newest = now.minusSeconds(settleSeconds).toEpochMilli();
    List<RunLedger.InputFile> files = new ArrayList<>();
    for (MatchResult.Metadata m : OutputFiles.listUnder(prefix)) {
      String path = m.resourceId().toString();
      String relative =
          path.startsWith(root) ? path.substring(root.length()) : m.resourceId().getFilename();
      if (hidden(relative) || (!all && !matcher.matches(Path.of(relative)))) {
        continue;
      }
      if (settleSeconds > 0 && m.lastModifiedMillis() > newest) {
        continue;
      }
      files.add(new RunLedger.InputFile(path, m.sizeBytes(), m.lastModifiedMillis(), null));
    }
    files.sort(Comparator.comparing(RunLedger.InputFile::path));
    return files;
  }

  static boolean hidden(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith(".") || segment.startsWith("_")) {
        return true;
      }
    }
    return false;
  }
}
