package dev.corpusforge.pipelines.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code forge} side of a run in a {@link ForgeDaemon}: sends the command line, its working
 * directory and environment, copies the run's output to this process's own as it comes, and ends
 * with the run's exit code. Exits {@link DaemonProtocol#NOT_SERVED} when no daemon answers or it
 * refuses (busy with another run, another environment), so that {@code bin/forge} runs the command
 * in a JVM of its own. Ending this process (Ctrl-C) ends the run: the daemon stops with it, as a
 * run in its own JVM would.
 *
 * <p>Usage: {@code DaemonClient SOCKET WAIT_SECONDS LOG FORGE_ARGS…}.
 */
public final class DaemonClient {
  private DaemonClient() {}

  public static void main(String[] args) {
    Path socket = Path.of(args[0]);
    double waitSeconds = Double.parseDouble(args[1]);
    String log = args[2];
    String[] forgeArgs = Arrays.copyOfRange(args, 3, args.length);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), false);
    int code =
        run(
            socket,
            waitSeconds,
            log,
            forgeArgs,
            System.getProperty("user.dir"),
            System.getenv(),
            out,
            err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs {@code forgeArgs} in the daemon at {@code socket}; the run's exit code. */
  static int run(
      Path socket,
      double waitSeconds,
      String log,
      String[] forgeArgs,
      String cwd,
      Map<String, String> env,
      OutputStream out,
      OutputStream err) {
    SocketChannel channel = connect(socket, waitSeconds);
    if (channel == null) {
      if (startedDaemon().isPresent()) {
        say(
            err,
            "forge: the daemon did not start (its log: "
                + log
                + "); this run starts a JVM of its own");
      }
      return DaemonProtocol.NOT_SERVED;
    }
    boolean relayed = false;
    try (channel) {
      DataOutputStream request =
          new DataOutputStream(new BufferedOutputStream(DaemonProtocol.output(channel)));
      DaemonProtocol.writeRunRequest(request, cwd, env, forgeArgs);
      request.flush();
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(DaemonProtocol.input(channel)));
      while (true) {
        byte kind = in.readByte();
        int length = in.readInt();
        byte[] bytes = in.readNBytes(length);
        switch (kind) {
          case DaemonProtocol.OUT -> {
            out.write(bytes);
            out.flush();
            relayed = true;
          }
          case DaemonProtocol.ERR -> {
            err.write(bytes);
            err.flush();
            relayed = true;
          }
          case DaemonProtocol.EXIT -> {
            return java.nio.ByteBuffer.wrap(bytes).getInt();
          }
          case DaemonProtocol.REFUSED -> {
            say(
                err,
                "forge: "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                    + "; this run starts a JVM of its own");
            return DaemonProtocol.REFUSED_HERE;
          }
          default -> throw new IOException("unknown frame kind " + kind);
        }
      }
    } catch (IOException e) {
      if (!relayed) {
        say(
            err,
            "forge: the daemon ended before answering (its log: "
                + log
                + "); this run starts a JVM of its own");
        return DaemonProtocol.NOT_SERVED;
      }
      say(
          err,
          "error: the forge daemon ended before the run finished ("
              + (e instanceof EOFException ? "connection closed" : e.getMessage())
              + "); its log: "
              + log);
      return 1;
    }
  }

  /**
   * Asks the daemon at {@code socket} for its status or to stop ({@link DaemonProtocol#STATUS},
   * {@link DaemonProtocol#STOP}); its one-line reply, or null when no daemon answers there.
   */
  static String ask(Path socket, String what) {
    SocketChannel channel = connect(socket, 0);
    if (channel == null) {
      return null;
    }
    try (channel) {
      DataOutputStream request =
          new DataOutputStream(new BufferedOutputStream(DaemonProtocol.output(channel)));
      request.writeInt(DaemonProtocol.VERSION);
      DaemonProtocol.writeString(request, what);
      request.flush();
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(DaemonProtocol.input(channel)));
      byte kind = in.readByte();
      String reply =
          new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
      return kind == DaemonProtocol.REPLY ? reply : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The daemon {@code bin/forge} has just started for this client (its pid in the system property
   * {@value #DAEMON_PID}), if any: waiting for it ends when it does.
   */
  static Optional<Long> startedDaemon() {
    String pid = System.getProperty(DAEMON_PID);
    return pid == null ? Optional.empty() : Optional.of(Long.parseLong(pid));
  }

  static final String DAEMON_PID = "corpusforge.daemon.pid";

  /**
   * Whether process {@code pid} still runs. A daemon that could not start stays a zombie until
   * {@code bin/forge} reaps it, which {@code ProcessHandle.isAlive} counts as alive; its state in
   * {@code /proc} tells.
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) STATE …: comm may hold spaces and parentheses, the state follows the last ')'
      String after = stat.substring(stat.lastIndexOf(')') + 1).strip();
      return !after.startsWith("Z") && !after.startsWith("X");
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /**
   * A connection to the daemon, waiting up to {@code waitSeconds} for it to listen (less if the
   * daemon just started for it ends first); or null.
   */
  static SocketChannel connect(Path socket, double waitSeconds) {
    long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
    Optional<Long> starting = startedDaemon();
    while (true) {
      try {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(UnixDomainSocketAddress.of(socket));
          return channel;
        } catch (IOException e) {
          channel.close();
        }
      } catch (IOException e) {
        return null;
      }
      if (System.nanoTime() > deadline || starting.map(pid -> !running(pid)).orElse(false)) {
        return null;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private static void say(OutputStream err, String line) {
    try {
      err.write((line + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException e) {
      // nowhere left to say it
    }
  }
}
