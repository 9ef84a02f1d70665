package dev.corpusforge.scorers;

import dev.corpusforge.core.read.SourceStamp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundles loaded in this JVM, one per (location, device, threads): every worker thread of a
 * pipeline shares one copy of the model and makes its own predictors. Bundles stay loaded for the
 * life of the JVM, as a worker's models do; a bundle whose files changed in place since it was
 * loaded ({@link SourceStamp}) is loaded again.
 */
public final class SharedBundles {
  private record Key(String location, String stamp, DeviceChoice device, int threads) {}

  private static final Map<Key, LoadedBundle> LOADED = new ConcurrentHashMap<>();

  private SharedBundles() {}

  /** The bundle at {@code location} (a folder or an s3:// prefix), loaded once per JVM. */
  public static LoadedBundle get(String location, DeviceChoice device, int threads)
      throws IOException {
    Key key = new Key(location, SourceStamp.folder(location), device, threads);
    LoadedBundle loaded = LOADED.get(key);
    if (loaded != null) {
      return loaded;
    }
    synchronized (LOADED) {
      loaded = LOADED.get(key);
      if (loaded == null) {
        Path dir = BundleFiles.localFolder(location);
        try {
          loaded = LoadedBundle.open(ModelBundle.load(dir), device.resolve(), threads);
        } catch (ModelBundle.InvalidBundleException e) {
          throw new IOException(e.getMessage(), e);
        }
        LOADED.put(key, loaded);
      }
      return loaded;
    }
  }
}
