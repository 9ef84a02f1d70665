package dev.corpusforge.pipelines.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What a {@code forge} client and a {@link ForgeDaemon} say over the daemon's socket. The client
 * sends one request: {@link #RUN} with its working directory, environment and arguments, or {@link
 * #STATUS}, or {@link #STOP}. The daemon answers in frames of a kind byte, a length and the bytes:
 * the run's standard output and error as they come, then its exit code; or a refusal (the client
 * then runs the command in a JVM of its own); or one reply line.
 *
 * <p>Only JDK classes here and in {@link DaemonClient}: the client is a small JVM that must start
 * fast.
 */
final class DaemonProtocol {
  static final int VERSION = 1;

  static final String RUN = "run";
  static final String STATUS = "status";
  static final String STOP = "stop";

  static final byte OUT = 1;
  static final byte ERR = 2;
  static final byte EXIT = 3;
  static final byte REFUSED = 4;
  static final byte REPLY = 5;

  /** The client's exit code when no daemon served the command: run it in a JVM of its own. */
  static final int NOT_SERVED = 75;

  /** The client's exit code when the daemon refused the command (busy, another environment). */
  static final int REFUSED_HERE = 76;

  /**
   * Variables a shell sets for itself that do not change what a run does; every other variable must
   * be the daemon's own for it to serve a client.
   */
  static final java.util.Set<String> SHELL_VARIABLES =
      java.util.Set.of("_", "PWD", "OLDPWD", "SHLVL");

  private DaemonProtocol() {}

  /**
   * The channel's bytes as a stream. Not {@code Channels.newInputStream}: its streams of one socket
   * share a lock, so a read waiting for the client's end would hold up the run's output.
   */
  static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = read(one, 0, 1)) == 0) {
          // a blocking channel returns at least one byte or the end
        }
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
      }
    };
  }

  /** Writes to the channel; reads on another thread do not hold it up (see {@link #input}). */
  static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  /** A {@link #RUN} request: the client's working directory, environment and arguments. */
  static void writeRunRequest(
      DataOutputStream out, String cwd, java.util.Map<String, String> env, String[] args)
      throws IOException {
    out.writeInt(VERSION);
    writeString(out, RUN);
    writeString(out, cwd);
    out.writeInt(env.size());
    for (java.util.Map.Entry<String, String> e : env.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
    out.writeInt(args.length);
    for (String a : args) {
      writeString(out, a);
    }
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (64 << 20)) {
      throw new IOException("not a forge daemon message (a string of " + length + " bytes)");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  static void writeFrame(DataOutputStream out, byte kind, byte[] bytes, int offset, int length)
      throws IOException {
    out.writeByte(kind);
    out.writeInt(length);
    out.write(bytes, offset, length);
    out.flush();
  }
}
