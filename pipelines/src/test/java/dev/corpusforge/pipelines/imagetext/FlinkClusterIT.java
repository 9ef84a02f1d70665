package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission with --flink-master HOST:PORT: a Flink cluster (JobManager with its REST endpoint and
 * a TaskManager with two slots) on 127.0.0.1, reached over REST like any remote cluster.
 */
class FlinkClusterIT {
  @TempDir Path tmp;

  @Test
  void submitsToAFlinkClusterOverRest() throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    MiniClusterConfiguration config = new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build();
    try (MiniCluster cluster = new MiniCluster(config)) {
      cluster.start();
      URI rest = cluster.getRestAddress().get();
      Path out = tmp.resolve("out");
      Path input = Path.of("..", "samples", "image-text").toAbsolutePath().normalize();
      int code = Forge.execute("run", "image-text", "--flink-master", "127.0.0.1:" + rest.getPort(), "--parallelism", "2",
          "--input", input.toString(), "--output", out.toString());
      assertEquals(0, code);
      assertTrue(Files.exists(out.resolve("_SUCCESS")));
      assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"runner\" : \"flink 127.0.0.1:" + rest.getPort() + "\""));
      assertTrue(!OutputReader.parquetRows(out.resolve("data")).isEmpty());
    }
  }
}
