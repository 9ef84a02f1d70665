package dev.corpusforge.pipelines.run;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;

/**
 * Loads Flink's RPC system once per JVM and hands the same one to every embedded Flink cluster that
 * JVM starts.
 *
 * <p>Why: Flink's own loader copies its 22 MB Pekko jar to a temporary file and opens a fresh class
 * loader on it for every cluster, and closes both when the cluster stops. Every run in one JVM (a
 * warm daemon, a benchmark, a test suite) then loads and interprets Pekko's classes anew: 0.4–0.6 s
 * of each embedded run's start on 2 cores, more than the rest of the cluster's start. Here the
 * first run loads it through Flink's loader (the next one in priority), later runs reuse it, and
 * the copy is closed and deleted when the JVM exits.
 */
public final class SharedRpcSystemLoader implements RpcSystemLoader {
  private static RpcSystem shared;

  @Override
  public int getLoadPriority() {
    // before Flink's Pekko loader (0), which this one delegates to
    return -1;
  }

  @Override
  public RpcSystem loadRpcSystem(Configuration config) {
    return new Unclosed(sharedSystem(config));
  }

  private static synchronized RpcSystem sharedSystem(Configuration config) {
    if (shared == null) {
      RpcSystem loaded = delegate().loadRpcSystem(config);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(loaded::close, "corpusforge-rpc-system-cleanup"));
      shared = loaded;
    }
    return shared;
  }

  /** The loader Flink would have used without this one: the next in priority. */
  private static RpcSystemLoader delegate() {
    List<RpcSystemLoader> others =
        StreamSupport.stream(
                ServiceLoader.load(RpcSystemLoader.class, RpcSystem.class.getClassLoader())
                    .spliterator(),
                false)
            .filter(l -> !(l instanceof SharedRpcSystemLoader))
            .sorted(Comparator.comparingInt(RpcSystemLoader::getLoadPriority))
            .toList();
    if (others.isEmpty()) {
      throw new IllegalStateException("no RPC system loader of Flink's on the class path");
    }
    return others.get(0);
  }

  /** The shared system, whose close (at each cluster's stop) leaves it open for the next one. */
  record Unclosed(RpcSystem system) implements RpcSystem {
    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
      return system.localServiceBuilder(configuration);
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(
        Configuration configuration, String externalAddress, String externalPortRange) {
      return system.remoteServiceBuilder(configuration, externalAddress, externalPortRange);
    }

    @Override
    public String getRpcUrl(
        String hostname,
        int port,
        String endpointName,
        AddressResolution addressResolution,
        Configuration config)
        throws UnknownHostException {
      return system.getRpcUrl(hostname, port, endpointName, addressResolution, config);
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
      return system.getInetSocketAddressFromRpcUrl(url);
    }

    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
      return system.getMaximumMessageSizeInBytes(config);
    }

    @Override
    public void close() {}
  }
}
