package dev.corpusforge.pipelines.daemon;

import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.run.CommandStart;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A JVM kept warm between {@code forge run} commands. Most of a short run's time in a fresh JVM is
 * the JVM's own: compiling Beam's, Flink's and the pipelines' code and loading models (bench/
 * RESULTS.md, "Fixed cost"); a JVM that has run a job runs the next in a third of the time. With
 * {@code FORGE_DAEMON=on}, {@code bin/forge} hands each run to the daemon started for its working
 * directory, environment, JVM options and build (one socket per such key), and starts it when none
 * is there.
 *
 * <p>One run at a time; a client that comes while a run is in progress is refused and runs in a JVM
 * of its own. The run's standard output and error go to its client as they are written; its exit
 * code is the client's. The daemon stops when it has been idle for the given time, when asked
 * ({@code forge daemon stop}), after a run that failed (exit 1: a failed job may leave threads or
 * memory behind), and when the client of the run in progress ends (Ctrl-C), as that run's own JVM
 * would.
 *
 * <p>Usage: {@code ForgeDaemon SOCKET IDLE_SECONDS LOG}, its standard output and error appended to
 * LOG.
 */
public final class ForgeDaemon {
  private final Path socket;
  private final Path log;
  private final Duration idleLimit;
  private final RoutedStream out;
  private final RoutedStream err;
  private final OutputStream logOut;
  private final PrintStream say;
  private final Semaphore running = new Semaphore(1);
  private final AtomicLong served = new AtomicLong();
  private final long startedNanos = System.nanoTime();
  private volatile long idleSinceNanos = System.nanoTime();
  private volatile long runStartedNanos;
  private volatile boolean stopping;
  private volatile int exitCode;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final IntConsumer onStop;
  private ServerSocketChannel server;

  /**
   * A daemon that listens at {@code socket} once {@link #serve} runs; {@code out} and {@code err}
   * are what {@code System.out} and {@code System.err} write to; {@code onStop} ends the JVM with
   * the code it is given.
   */
  ForgeDaemon(
      Path socket,
      Path log,
      Duration idleLimit,
      RoutedStream out,
      RoutedStream err,
      IntConsumer onStop) {
    this.onStop = onStop;
    this.socket = socket;
    this.log = log;
    this.idleLimit = idleLimit;
    this.out = out;
    this.err = err;
    this.logOut = new FileOutputStream(FileDescriptor.err);
    this.say = new PrintStream(logOut, true, StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws IOException {
    // before any other class reads System.out or System.err (Forge keeps System.out)
    RoutedStream out = new RoutedStream(new FileOutputStream(FileDescriptor.out));
    RoutedStream err = new RoutedStream(new FileOutputStream(FileDescriptor.err));
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    ForgeDaemon daemon =
        new ForgeDaemon(
            Path.of(args[0]),
            Path.of(args[2]),
            Duration.ofSeconds(Long.parseLong(args[1])),
            out,
            err,
            ForgeDaemon::endJvm);
    System.exit(daemon.serve());
  }

  /** Serves clients until the daemon stops; the code it stopped with. */
  int serve() throws IOException {
    Path lockFile = Path.of(socket + ".lock");
    FileChannel lockChannel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockChannel.tryLock();
    if (lock == null) {
      say.println(stamp() + "forge daemon: another daemon serves " + socket + "; this one ends");
      return 0;
    }
    try (FileChannel logFile = FileChannel.open(log, StandardOpenOption.WRITE)) {
      logFile.truncate(0); // the last daemon's; bin/forge appends to it
    } catch (IOException e) {
      // the log is bin/forge's redirection; without it the daemon still serves
    }
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Runtime.getRuntime()
        .addShutdownHook(new Thread(this::removeSocket, "forge-daemon-socket-removal"));
    say.printf(
        stamp() + "forge daemon: pid %d serving %s for %s; stops after %d s idle%n",
        ProcessHandle.current().pid(),
        socket,
        System.getProperty("user.dir"),
        idleLimit.toSeconds());
    Thread idleWatch = new Thread(this::watchIdle, "forge-daemon-idle");
    idleWatch.setDaemon(true);
    idleWatch.start();
    while (!stopping) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (stopping) {
          break;
        }
        throw e;
      }

      Thread handler = new Thread(() -> handle(client), "forge-daemon-client");
      handler.setDaemon(true);
      handler.start();
    }
    return exitCode;
  }

  private void handle(SocketChannel client) {
    try (client) {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(DaemonProtocol.input(client)));
      DataOutputStream reply =
          new DataOutputStream(new BufferedOutputStream(DaemonProtocol.output(client)));
      if (in.readInt() != DaemonProtocol.VERSION) {
        answer(reply, DaemonProtocol.REFUSED, "the daemon speaks another version of its protocol");
        return;
      }
      switch (DaemonProtocol.readString(in)) {
        case DaemonProtocol.STATUS -> answer(reply, DaemonProtocol.REPLY, status());
        case DaemonProtocol.STOP -> {
          boolean idle = running.availablePermits() > 0;
          answer(reply, DaemonProtocol.REPLY, idle ? "stopping" : "stopping after its run");
          stopping = true;
          if (running.tryAcquire()) {
            stop(0, "asked to stop");
          }
        }
        case DaemonProtocol.RUN -> run(in, reply);
        default -> answer(reply, DaemonProtocol.REFUSED, "the daemon does not know that request");
      }
    } catch (IOException e) {
      say.println(
          stamp() + "forge daemon: a client's request could not be read: " + e.getMessage());
    }
  }

  private void run(DataInputStream in, DataOutputStream reply) throws IOException {
    String cwd = DaemonProtocol.readString(in);
    Map<String, String> env = new HashMap<>();
    for (int i = in.readInt(); i > 0; i--) {
      env.put(DaemonProtocol.readString(in), DaemonProtocol.readString(in));
    }
    String[] args = new String[in.readInt()];
    for (int i = 0; i < args.length; i++) {
      args[i] = DaemonProtocol.readString(in);
    }
    String mismatch = mismatch(cwd, env);
    if (mismatch != null) {
      answer(reply, DaemonProtocol.REFUSED, mismatch);
      return;
    }
    if (stopping || !running.tryAcquire()) {
      answer(reply, DaemonProtocol.REFUSED, "the daemon is busy with another run");
      return;
    }
    int code = 1;
    runStartedNanos = System.nanoTime();
    FrameSink sink = new FrameSink(reply);
    AtomicBoolean answered = new AtomicBoolean();
    Thread watch = new Thread(() -> watchClient(in, answered), "forge-daemon-client-watch");
    watch.setDaemon(true);
    try {
      out.pointAt(sink.stream(DaemonProtocol.OUT));
      err.pointAt(sink.stream(DaemonProtocol.ERR));
      watch.start();
      try {
        CommandStart.now();
        code = Forge.execute(args);
      } catch (Throwable t) {
        t.printStackTrace(System.err);
      }
      System.out.flush();
      System.err.flush();
    } finally {
      out.pointAt(logOut);
      err.pointAt(logOut);
      long n = served.incrementAndGet();
      say.printf(
          stamp() + "forge daemon: run %d (%s) ended with exit %d after %.1f s%n",
          n,
          describe(args),
          code,
          (System.nanoTime() - runStartedNanos) / 1e9);
      runStartedNanos = 0;
      idleSinceNanos = System.nanoTime();
      answered.set(true);
      sink.exit(code);
      if (code != 0 && code != 2) {
        stop(0, "a run failed; the next run starts a fresh JVM");
      } else if (stopping) {
        stop(0, "asked to stop");
      }
      running.release();
    }
  }

  /** Why this daemon must not serve a client in {@code cwd} with {@code env}; null if it may. */
  static String mismatch(String cwd, Map<String, String> env) {
    String own = System.getProperty("user.dir");
    try {
      if (!Path.of(cwd).toRealPath().equals(Path.of(own).toRealPath())) {
        return "the daemon serves runs in " + own;
      }
    } catch (IOException e) {
      return "the working directory " + cwd + " cannot be resolved";
    }
    TreeSet<String> names = new TreeSet<>(env.keySet());
    names.addAll(System.getenv().keySet());
    names.removeAll(DaemonProtocol.SHELL_VARIABLES);
    for (String name : names) {
      if (!java.util.Objects.equals(env.get(name), System.getenv(name))) {
        // the variable's name only: its value may be a secret
        return "the daemon was started with another environment (" + name + " differs)";
      }
    }
    return null;
  }

  /**
   * The run's client ended before it had its answer: stop, as the run's own JVM would on Ctrl-C.
   * ({@code answered} is this run's: a later run may be in progress when this client's end is
   * seen.)
   */
  private void watchClient(DataInputStream in, AtomicBoolean answered) {
    try {
      while (in.read() >= 0) {
        // a client sends nothing after its request
      }
    } catch (IOException e) {
      // the same as the end of the stream
    }
    if (!answered.get()) {
      stop(130, "the client of the run in progress ended");
    }
  }

  private void watchIdle() {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      if (System.nanoTime() - idleSinceNanos > idleLimit.toNanos() && running.tryAcquire()) {
        if (System.nanoTime() - idleSinceNanos > idleLimit.toNanos()) {
          stop(0, "idle for " + idleLimit.toSeconds() + " s");
          return;
        }
        running.release();
      }
    }
  }

  /** Stops serving, once, and ends the JVM with {@code code}. */
  private void stop(int code, String why) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    exitCode = code;
    stopping = true;
    say.println(stamp() + "forge daemon: stopping: " + why);
    removeSocket();
    try {
      server.close();
    } catch (IOException e) {
      // ending anyway
    }
    onStop.accept(code);
  }

  /** Whether a run is in progress (it goes on when its client has ended, until the JVM does). */
  boolean runInProgress() {
    return runStartedNanos != 0;
  }

  /** Ends the JVM (shutdown hooks run: a run's output lock is released); a hung hook is cut. */
  private static void endJvm(int code) {
    Thread exit = new Thread(() -> System.exit(code), "forge-daemon-exit");
    exit.start();
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(20_000);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(code);
            },
            "forge-daemon-halt");
    halt.setDaemon(true);
    halt.start();
  }

  private synchronized void removeSocket() {
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // a stale socket is replaced by the next daemon
    }
  }

  private String status() {
    Runtime rt = Runtime.getRuntime();
    long now = System.nanoTime();
    long runStarted = runStartedNanos;
    String state =
        runStarted != 0
            ? String.format("running a job for %.0f s", (now - runStarted) / 1e9)
            : String.format(
                "idle for %.0f s (stops at %d s)",
                (now - idleSinceNanos) / 1e9, idleLimit.toSeconds());
    return String.format(
        "pid %d, up %.0f s, %d runs, %s, heap %d of %d MiB, in %s",
        ProcessHandle.current().pid(),
        (now - startedNanos) / 1e9,
        served.get(),
        state,
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.maxMemory() >> 20,
        System.getProperty("user.dir"));
  }

  /** The command without its values (they may name secrets): {@code run decompose}. */
  private static String describe(String[] args) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(2, args.length); i++) {
      if (!args[i].startsWith("-")) {
        s.append(s.length() == 0 ? "" : " ").append(args[i]);
      }
    }
    return s.toString();
  }

  private static String stamp() {
    return java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " ";
  }

  private static void answer(DataOutputStream reply, byte kind, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    DaemonProtocol.writeFrame(reply, kind, bytes, 0, bytes.length);
  }

  /** Frames of one run's output to its client; a client gone is not the run's failure. */
  private static final class FrameSink {
    private final DataOutputStream reply;
    private boolean broken;

    FrameSink(DataOutputStream reply) {
      this.reply = reply;
    }

    synchronized void write(byte kind, byte[] bytes, int offset, int length) {
      if (broken || length == 0) {
        return;
      }
      try {
        DaemonProtocol.writeFrame(reply, kind, bytes, offset, length);
      } catch (IOException e) {
        broken = true;
      }
    }

    void exit(int code) {
      write(DaemonProtocol.EXIT, ByteBuffer.allocate(4).putInt(code).array(), 0, 4);
    }

    OutputStream stream(byte kind) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          FrameSink.this.write(kind, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          FrameSink.this.write(kind, b, off, len);
        }
      };
    }
  }
}
