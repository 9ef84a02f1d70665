package dev.corpusforge.pipelines.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder of this user's daemon sockets ({@code bin/forge} names it in the system property
 * {@value #PROPERTY}: {@code $XDG_RUNTIME_DIR/corpusforge-UID}, else under {@code $TMPDIR} or
 * {@code /tmp}, mode 700), one socket per daemon.
 */
public final class DaemonDirectory {
  public static final String PROPERTY = "corpusforge.daemon.dir";

  private final Path dir;

  public DaemonDirectory(Path dir) {
    this.dir = dir;
  }

  /** The folder {@code bin/forge} named, or null when this JVM was not started by it. */
  public static DaemonDirectory fromSystemProperty() {
    String dir = System.getProperty(PROPERTY);
    return dir == null ? null : new DaemonDirectory(Path.of(dir));
  }

  public Path path() {
    return dir;
  }

  /** One line per daemon that answers: its socket's name and its status. */
  public List<String> status() throws IOException {
    return each(DaemonProtocol.STATUS);
  }

  /** Asks every daemon to stop; one line per daemon that answered. */
  public List<String> stop() throws IOException {
    return each(DaemonProtocol.STOP);
  }

  private List<String> each(String request) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    List<Path> sockets;
    try (Stream<Path> files = Files.list(dir)) {
      sockets = files.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
    }
    for (Path socket : sockets) {
      String reply = DaemonClient.ask(socket, request);
      if (reply != null) {
        lines.add(socket.getFileName() + ": " + reply);
      }
    }
    return lines;
  }
}
