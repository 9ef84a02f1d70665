package dev.corpusforge.pipelines.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server that can be cut: all connections dropped and
 * new ones refused, either on demand or as soon as a client sends a request line matching a pattern
 * (an outage that starts mid-run, at a known point). {@link #restore()} ends the outage.
 */
public final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile Pattern cutOn;
  private volatile int cuts;

  public CuttableProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Cuts as soon as a client sends a request line matching {@code requestLine}. */
  public void cutOn(Pattern requestLine) {
    this.cutOn = requestLine;
  }

  /**
   * Starts an outage; cutting while already down is the same outage, so parallel requests racing to
   * the cut point count once.
   */
  public synchronized void cut() {
    if (!down) {
      cuts++;
    }
    down = true;
    for (Socket s : open) {
      close(s);
    }
    open.clear();
  }

  public synchronized void restore() {
    cutOn = null;
    down = false;
  }

  /** How many outages there were (a cut while already down is not a new one). */
  public int cuts() {
    return cuts;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = down ? null : new Socket(InetAddress.getLoopbackAddress(), target);
        synchronized (this) {
          if (down || upstream == null) {
            close(client);
            if (upstream != null) {
              close(upstream);
            }
            continue;
          }
          open.add(client);
          open.add(upstream);
        }
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        // closed, or the upstream refused: the client sees a dropped connection
      }
    }
  }

  private void pump(Socket from, Socket to, boolean inspect) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              String carry = "";
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  if (inspect && cutOn != null) {
                    String seen = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    if (cutOn.matcher(seen).find()) {
                      cut();
                      return;
                    }
                    carry = seen.substring(Math.max(0, seen.length() - 512));
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                close(from);
                close(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      down = true;
      for (Socket s : open) {
        close(s);
      }
      open.clear();
    }
  }
}
