package dev.corpusforge.filters.blocklist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.beam.sdk.io.FileSystems;

/**
 * A blocklist as the run knows it: where it is and the SHA-256 of its bytes. The manifest holds
 * this and nothing of the list's content; a worker that reads a list whose digest differs (the file
 * changed during the run) fails rather than apply another list.
 *
 * @param path local path or {@code s3://} URL
 * @param sha256 hex SHA-256 of the file's bytes
 */
public record BlocklistFile(String path, String sha256) implements Serializable {

  /** Receives a list's lines: number (from 1) and text, stripped; blank and # lines skipped. */
  interface LineSink {
    void line(int number, String text);
  }

  /**
   * Reads every entry of the list at {@code path} into {@code sink} and returns the file with its
   * digest. Strict UTF-8. Errors name the flag and the line number, never a line's content.
   */
  static BlocklistFile read(String flag, String path, LineSink sink) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream raw =
            Channels.newInputStream(
                FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()));
        DigestInputStream in = new DigestInputStream(raw, digest);
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)),
                1 << 16)) {
      String line;
      int number = 0;
      while ((line = lines.readLine()) != null) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        sink.line(number, text);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(flag + " " + path + ": not UTF-8 text");
    }
    return new BlocklistFile(path, HexFormat.of().formatHex(digest.digest()));
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails when a worker read another list than the one the run started with. */
  void checkSame(BlocklistFile read) {
    if (!sha256.equals(read.sha256)) {
      throw new IllegalStateException(
          "blocklist " + path + " changed during the run (its SHA-256 differs)");
    }
  }
}
