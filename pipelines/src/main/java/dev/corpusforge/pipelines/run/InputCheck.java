package dev.corpusforge.pipelines.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What is wrong with an input location, found before any work and in bounded time: a local path is
 * looked at directly (a missing one is never searched for, a folder is walked only up to its first
 * file, a named pipe or device is never opened); other file systems (s3://) are asked through Beam,
 * whose errors (credentials, permissions, an unreachable endpoint) propagate to the caller.
 */
final class InputCheck {
  private InputCheck() {}

  /** Null when {@code input} names at least one file; else what is wrong, e.g. "does not exist". */
  static String problem(String input) throws IOException {
    Path local = OutputFiles.localPath(input);
    if (local != null) {
      int glob = firstGlobChar(input);
      Path fixed = glob < 0 ? local : fixedPrefix(input.substring(0, glob));
      if (!Files.exists(fixed)) {
        String where =
            fixed.isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")";
        return glob < 0
            ? "does not exist" + where
            : "matches no file: " + fixed + " does not exist" + where;
      }
      if (glob < 0) {
        if (Files.isRegularFile(local) || isPipeOrDevice(local)) {
          return Files.isReadable(local) ? null : "cannot be read (permission denied)";
        }
        if (Files.isDirectory(local)) {
          // links followed, as the readers follow them (a folder given as a link included)
          try (Stream<Path> tree = Files.walk(local, FileVisitOption.FOLLOW_LINKS)) {
            return tree.anyMatch(Files::isRegularFile) ? null : "is an empty folder";
          } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
              return "holds a loop of symbolic links (" + loop.getFile() + ")";
            }
            throw e.getCause();
          }
        }
        return "is neither a file nor a folder";
      }
    }
    if (!OutputFiles.match(input).isEmpty() || !OutputFiles.listUnder(input).isEmpty()) {
      return null;
    }
    return "matches no file (no such object or prefix, or an empty folder)";
  }

  /**
   * A named pipe or a device (mkfifo, a shell's process substitution, /dev/stdin): read as its
   * bytes arrive.
   */
  private static boolean isPipeOrDevice(Path p) throws IOException {
    return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).isOther();
  }

  private static int firstGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The folder a glob's fixed part names: everything up to its last separator. */
  private static Path fixedPrefix(String beforeGlob) {
    int slash = beforeGlob.lastIndexOf('/');
    String dir = slash < 0 ? "." : slash == 0 ? "/" : beforeGlob.substring(0, slash);
    Path p = OutputFiles.localPath(dir);
    return p == null ? Path.of(dir) : p;
  }
}
