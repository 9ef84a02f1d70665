package dev.corpusforge.pipelines.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The Flink configuration of a run on embedded Flink, written to a folder of its own that the run's
 * options name: whatever {@code FLINK_CONF_DIR}'s file sets, plus the managed (sorting) memory as a
 * share of the heap unless that file sizes it, exchanges between steps uncompressed unless that
 * file says otherwise, plus a REST port on 127.0.0.1 when the run shows progress.
 *
 * <p>Why the managed size: without one, Beam measures the free heap itself before every job, with a
 * {@code System.gc()} on the main thread (0.1–0.4 s of each run, longer while a model loads), and
 * sizes the memory from whatever that found free at that moment. Here it is {@code
 * taskmanager.memory.managed.fraction} (Flink's default 0.4) of the heap's maximum, the same share
 * of nearly the same amount, known before the run.
 *
 * <p>Why no compression of the exchanges between steps (unless that file turns it on): in one JVM
 * they never cross a network, and Flink's LZ4 on every exchanged byte (image bytes that are PNG or
 * JPEG already, token arrays) costs CPU that a run on a few cores spends on its work instead:
 * decompose's 31 M-token bench ran ~10 % faster without it, with the same output.
 */
final class EmbeddedFlinkConf {
  private EmbeddedFlinkConf() {}

  /**
   * What was written: the folder, and the REST address when one was chosen. Closing it removes the
   * folder once the run's job has ended (Flink reads the file when the job starts); a run that dies
   * first leaves it to the JVM's exit.
   */
  record Written(Path directory, String restAddress) implements AutoCloseable {
    @Override
    public void close() {
      try {
        Files.deleteIfExists(directory.resolve(GlobalConfiguration.LEGACY_FLINK_CONF_FILENAME));
        Files.deleteIfExists(directory);
      } catch (IOException e) {
        // both are also marked for deletion when the JVM exits
      }
    }
  }

  /**
   * @param withRest choose a free port on 127.0.0.1 for Flink's REST API
   */
  static Written write(boolean withRest) throws IOException {
    return write(System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR), withRest);
  }

  /**
   * @param userDir the user's configuration folder, or null
   */
  static Written write(String userDir, boolean withRest) throws IOException {
    Configuration conf =
        userDir == null || userDir.isBlank()
            ? new Configuration()
            : GlobalConfiguration.loadConfiguration(userDir);
    if (!conf.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
      conf.setString(
          TaskManagerOptions.MANAGED_MEMORY_SIZE.key(),
          Long.toString(managedBytes(conf.get(TaskManagerOptions.MANAGED_MEMORY_FRACTION))));
    }
    if (!conf.contains(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED)) {
      conf.set(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED, false);
    }
    String rest = null;
    if (withRest) {
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      conf.setString("rest.address", "127.0.0.1");
      conf.setString("rest.bind-address", "127.0.0.1");
      conf.setString("rest.port", Integer.toString(port));
      conf.setString("metrics.fetcher.update-interval", "1000");
      rest = "127.0.0.1:" + port;
    }
    Path dir = Files.createTempDirectory("corpusforge-flink-conf");
    dir.toFile().deleteOnExit();
    Path file = dir.resolve(GlobalConfiguration.LEGACY_FLINK_CONF_FILENAME);
    StringBuilder yaml = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(conf.toMap()).entrySet()) {
      yaml.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    Files.writeString(file, yaml);
    file.toFile().deleteOnExit();
    return new Written(dir, rest);
  }

  /** {@code fraction} of the heap's maximum, in bytes. */
  static long managedBytes(float fraction) {
    return (long) (Runtime.getRuntime().maxMemory() * (double) fraction);
  }
}
