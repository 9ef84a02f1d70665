package dev.corpusforge.pipelines.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The README's S3 server, {@code deploy/s3proxy/s3proxy}: S3Proxy over a folder (each sub-folder a
 * bucket) in a JVM of its own, SigV4 checked, on a free port of 127.0.0.1; stopped on close.
 */
public final class LocalS3 implements AutoCloseable {
  public static final String KEY = "local";
  public static final String SECRET = "local-secret";

  private final Path script;
  private final Path root;
  private final int port;

  private LocalS3(Path script, Path root, int port) {
    this.script = script;
    this.root = root;
    this.port = port;
  }

  /** Serves {@code root}; {@code projectRoot} holds deploy/s3proxy. */
  public static LocalS3 start(Path projectRoot, Path root) throws Exception {
    Path script = projectRoot.resolve("deploy/s3proxy/s3proxy").toAbsolutePath().normalize();
    int port = freePort();
    Process start =
        new ProcessBuilder(script.toString(), "start", root.toString(), Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    String said = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!start.waitFor(120, TimeUnit.SECONDS) || start.exitValue() != 0) {
      throw new IllegalStateException("the S3 server did not start: " + said);
    }
    return new LocalS3(script, root, port);
  }

  /** Its URL, for {@code --s3-endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder(script.toString(), "stop", root.toString())
        .redirectErrorStream(true)
        .start()
        .waitFor(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
