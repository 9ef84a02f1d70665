package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration an embedded run's Flink reads, read back with Flink's own loader. */
class EmbeddedFlinkConfTest {
  @TempDir Path user;

  private static Configuration readBack(EmbeddedFlinkConf.Written written) {
    return GlobalConfiguration.loadConfiguration(written.directory().toString());
  }

  @Test
  void managedMemoryIsFlinksShareOfTheHeapAndTheRestPortIsLocal() throws IOException {
    EmbeddedFlinkConf.Written plain = EmbeddedFlinkConf.write(null, false);
    assertNull(plain.restAddress());
    Configuration read = readBack(plain);
    assertEquals(
        Long.toString((long) (Runtime.getRuntime().maxMemory() * (double) 0.4f)),
        read.toMap().get("taskmanager.memory.managed.size"));
    assertNull(read.toMap().get("rest.port"));
    assertFalse(
        read.get(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED),
        "exchanges within one JVM are not compressed");

    EmbeddedFlinkConf.Written withRest = EmbeddedFlinkConf.write(null, true);
    Configuration rest = readBack(withRest);
    assertEquals("127.0.0.1", rest.toMap().get("rest.bind-address"));
    assertEquals("127.0.0.1:" + rest.toMap().get("rest.port"), withRest.restAddress());

    plain.close();
    withRest.close();
    assertFalse(Files.exists(plain.directory()), "closed: the folder is removed");
    assertFalse(Files.exists(withRest.directory()), "closed: the folder is removed");
  }

  @Test
  void theUsersFileIsKeptAndItsManagedMemoryAndCompressionWin() throws IOException {
    Files.writeString(
        user.resolve("flink-conf.yaml"),
        "taskmanager.memory.managed.fraction: 0.25\npipeline.object-reuse: true\n");
    Configuration fraction = readBack(EmbeddedFlinkConf.write(user.toString(), false));
    assertEquals("true", fraction.toMap().get("pipeline.object-reuse"));
    assertEquals(
        Long.toString(EmbeddedFlinkConf.managedBytes(0.25f)),
        fraction.toMap().get("taskmanager.memory.managed.size"));

    Files.writeString(
        user.resolve("flink-conf.yaml"),
        "taskmanager.memory.managed.size: 64m\n"
            + "taskmanager.network.blocking-shuffle.compression.enabled: true\n");
    Configuration size = readBack(EmbeddedFlinkConf.write(user.toString(), false));
    assertEquals("64m", size.toMap().get("taskmanager.memory.managed.size"));
    assertTrue(
        size.get(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED),
        "the user's compression, under Flink's older name, wins");
  }
}
