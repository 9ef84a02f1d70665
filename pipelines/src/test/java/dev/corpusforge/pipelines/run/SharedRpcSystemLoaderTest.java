package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

/**
 * Flink's own lookup of its RPC system finds the shared one, every embedded cluster of a JVM gets
 * the same, and a cluster's stop (which closes its handle) leaves it usable by the next.
 */
class SharedRpcSystemLoaderTest {
  @Test
  void everyClusterOfTheJvmGetsTheSameSystemStillOpen() throws Exception {
    RpcSystem first = RpcSystem.load(new Configuration());
    SharedRpcSystemLoader.Unclosed firstHandle =
        assertInstanceOf(SharedRpcSystemLoader.Unclosed.class, first);
    first.close();
    RpcSystem second = RpcSystem.load(new Configuration());
    assertSame(
        firstHandle.system(),
        assertInstanceOf(SharedRpcSystemLoader.Unclosed.class, second).system(),
        "one system per JVM");
    // the first handle was closed before any RPC service started: the system must still load
    // and run one
    RpcService service = second.localServiceBuilder(new Configuration()).createAndStart();
    try {
      assertEquals(
          42,
          service
              .getScheduledExecutor()
              .schedule(() -> 42, 1, TimeUnit.MILLISECONDS)
              .get(30, TimeUnit.SECONDS),
          "the service's scheduler runs a task");
    } finally {
      service.closeAsync().get(30, TimeUnit.SECONDS);
    }
  }
}
