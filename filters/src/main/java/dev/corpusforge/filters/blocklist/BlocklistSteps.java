package dev.corpusforge.filters.blocklist;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code blocklist} stage's two steps in {@code image-text}: URLs before any fetch, digests of
 * the raw bytes before any decode. Each worker JVM reads a list once (by its SHA-256), whatever the
 * number of step instances, and fails if the file it reads is not the one the run started with.
 */
public final class BlocklistSteps {
  public static final String STAGE = "blocklist";
  public static final String BLOCKLISTED_URL = "blocklisted_url";
  public static final String BLOCKLISTED_HASH = "blocklisted_hash";

  private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();

  private BlocklistSteps() {}

  /** The URL list of {@code file}, read once per JVM; for the fetcher's redirect check. */
  public static UrlBlocklist urls(BlocklistFile file) throws IOException {
    return (UrlBlocklist) shared("urls", file, () -> UrlBlocklist.read(file.path()));
  }

  /** Drops a sample whose URL, or its host or a parent domain, is on the URL list. */
  public static final class Urls implements Step<ImageTextSample, ImageTextSample> {
    private final BlocklistFile file;
    private transient UrlBlocklist list;

    public Urls(BlocklistFile file) {
      this.file = file;
    }

    @Override
    public void setup() throws IOException {
      list = urls(file);
    }

    @Override
    public Outcome<ImageTextSample> apply(ImageTextSample sample) {
      String match = sample.getUrl() == null ? null : list.match(sample.getUrl());
      if (match == null) {
        return Outcome.keep(sample);
      }
      return Outcome.drop(
          BLOCKLISTED_URL,
          match.equals("url")
              ? "the URL is on --blocklist-urls"
              : "its domain is on --blocklist-urls");
    }
  }

  /** Drops a sample whose raw bytes have an MD5 or SHA-256 on the hash list. */
  public static final class Hashes implements Step<ImageTextSample, ImageTextSample> {
    private final BlocklistFile file;
    private transient HashBlocklist list;

    public Hashes(BlocklistFile file) {
      this.file = file;
    }

    @Override
    public void setup() throws IOException {
      list = (HashBlocklist) shared("hashes", file, () -> HashBlocklist.read(file.path()));
    }

    @Override
    public Outcome<ImageTextSample> apply(ImageTextSample sample) {
      ByteBuffer image = sample.getImage();
      if (image == null) {
        return Outcome.keep(sample);
      }
      String match;
      if (image.hasArray()) {
        match =
            list.match(image.array(), image.arrayOffset() + image.position(), image.remaining());
      } else {
        byte[] bytes = new byte[image.remaining()];
        image.duplicate().get(bytes);
        match = list.match(bytes, 0, bytes.length);
      }
      if (match == null) {
        return Outcome.keep(sample);
      }
      return Outcome.drop(
          BLOCKLISTED_HASH, "the " + match + " of its bytes is on --blocklist-hashes");
    }
  }

  interface Reader {
    Object read() throws IOException;

    /** The file the list was read from, with its digest. */
    static BlocklistFile fileOf(Object list) {
      return list instanceof UrlBlocklist u ? u.file() : ((HashBlocklist) list).file();
    }
  }

  /**
   * The list read once per JVM, by kind and digest; a list read from a file whose digest is not the
   * run's fails the step (and is not kept). A long-lived JVM (a daemon) keeps a few lists.
   */
  private static Object shared(String kind, BlocklistFile file, Reader reader) throws IOException {
    String key = kind + ":" + file.sha256();
    Object list = LOADED.get(key);
    if (list == null) {
      synchronized (LOADED) {
        list = LOADED.get(key);
        if (list == null) {
          list = reader.read();
          file.checkSame(Reader.fileOf(list));
          if (LOADED.size() >= 8) {
            LOADED.clear();
          }
          LOADED.put(key, list);
        }
      }
    }
    return list;
  }
}
