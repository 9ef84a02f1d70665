import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A run over URL pairs killed at about half its fetches and resumed, against the same run
 * uninterrupted; then the fetches that timed out retried and merged. The images are served by an
 * HTTP server on 127.0.0.1: one in ten a little slow, one in 25 failing once (503, then the image),
 * three never answering within the deadline until the retry, five missing. Each run is {@code forge}
 * in a JVM of its own; the server counts the requests of each.
 *
 * <p>Usage: java -cp CLASSPATH bench/ResumeBench.java IMAGE_DIR COUNT WORK_DIR
 */
public class ResumeBench {
  static final Map<String, Integer> requests = new ConcurrentHashMap<>();
  static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  static final AtomicBoolean lateAnswer = new AtomicBoolean(false);

  public static void main(String[] args) throws Exception {
    Path images = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    List<Path> pngs;
    try (Stream<Path> walk = Files.walk(images)) {
      pngs =
          walk.filter(p -> p.toString().endsWith(".png") && Files.exists(Path.of(p.toString().replace(".png", ".txt"))))
              .sorted()
              .limit(count + 3)
              .toList();
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.merge(path, 1, Integer::sum);
          try {
            int n = Integer.parseInt(path.replaceAll("\\D", ""));
            if (path.startsWith("/late/") && !lateAnswer.get()) {
              Thread.sleep(5_000);
            }
            if (path.startsWith("/gone/") || (path.startsWith("/late/") && !lateAnswer.get())) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            if (path.startsWith("/i/") && n % 25 == 7 && failedOnce.add(path)) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            if (n % 10 == 3) {
              Thread.sleep(150);
            }
            // the late ones: three images beyond the listed ones, duplicates of none
            byte[] body = Files.readAllBytes(pngs.get(path.startsWith("/late/") ? count + n : n));
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException | IOException | RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
    String base = "http://localhost:" + server.getAddress().getPort();
    Files.createDirectories(work);
    StringBuilder csv = new StringBuilder("url,caption\n");
    for (int i = 0; i < count; i++) {
      String caption = Files.readString(Path.of(pngs.get(i).toString().replace(".png", ".txt"))).strip().replace("\n", " ").replace("\"", "'");
      csv.append(base).append("/i/").append(i).append(".png,\"").append(caption).append("\"\n");
    }
    for (int i = 0; i < 3; i++) {
      csv.append(base).append("/late/").append(i).append(".png,a drawing served too late number ").append(i).append('\n');
    }
    for (int i = 0; i < 5; i++) {
      csv.append(base).append("/gone/").append(i).append(".png,a drawing that is not there number ").append(i).append('\n');
    }
    Path list = work.resolve("urls.csv");
    Files.writeString(list, csv.toString());
    for (String out : List.of("whole", "out", "retry", "merged")) {
      delete(work.resolve(out));
      delete(work.resolve(out + ".cache"));
    }

    long t = System.nanoTime();
    run(work, "whole", forge(list, work.resolve("whole")), -1);
    Map<String, Integer> whole = snapshot();
    System.out.printf("uninterrupted: %d requests, %.1f s%n", total(whole), (System.nanoTime() - t) / 1e9);

    run(work, "killed", forge(list, work.resolve("out")), count / 2);
    Map<String, Integer> killed = snapshot();
    t = System.nanoTime();
    List<String> resume = new ArrayList<>(forge(list, work.resolve("out")));
    resume.add("--resume");
    run(work, "resumed", resume, -1);
    Map<String, Integer> resumed = snapshot();
    int again = 0;
    for (String path : resumed.keySet()) {
      if (killed.containsKey(path)) {
        again++;
      }
    }
    System.out.printf(
        "killed at %d image requests; resumed: %d requests, %.1f s; URLs fetched by both: %d (at most 16 in flight: 8 per worker, 2 workers)%n",
        killed.keySet().stream().filter(p -> p.startsWith("/i/")).count(),
        total(resumed),
        (System.nanoTime() - t) / 1e9,
        again);
    System.out.printf(
        "killed + resumed: %d requests against %d uninterrupted%n",
        total(killed) + total(resumed), total(whole));

    lateAnswer.set(true);
    run(work, "retry", List.of("retry", work.resolve("out").toString(), "--reasons", "fetch_timeout", "--output", work.resolve("retry").toString()), -1);
    System.out.printf("retry of fetch_timeout: %d requests %s%n", total(requests), new TreeMap<>(requests));
    snapshot();
    run(work, "merge", List.of("merge", work.resolve("out").toString(), work.resolve("retry").toString(), "--output", work.resolve("merged").toString()), -1);
    System.out.printf("merge: %d requests%n", total(snapshot()));
    server.stop(0);
    System.exit(0);
  }

  static List<String> forge(Path list, Path out) {
    return List.of(
        "run", "image-text", "--input", list.toString(), "--output", out.toString(),
        "--allow-host", "localhost", "--languages", "any", "--min-caption-words", "1",
        "--min-caption-chars", "1", "--no-filename-rule", "--progress-seconds", "0",
        "--fetch-concurrency", "8", "--fetch-deadline-ms", "2000", "--fetch-retries", "2",
        "--fetch-backoff-ms", "50");
  }

  /** Runs forge in a JVM of its own; with killAt ≥ 0, SIGKILLs it once that many images are asked for. */
  static void run(Path work, String name, List<String> args, int killAt) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "dev.corpusforge.pipelines.cli.Forge"));
    command.addAll(args);
    Path log = work.resolve(name + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (killAt >= 0) {
      while (p.isAlive() && requests.keySet().stream().filter(k -> k.startsWith("/i/")).count() < killAt) {
        Thread.sleep(5);
      }
      p.destroyForcibly();
    }
    p.waitFor(30, TimeUnit.MINUTES);
    System.out.printf("%s: exit %d (%s)%n", name, p.exitValue(), log);
  }

  static Map<String, Integer> snapshot() {
    Map<String, Integer> copy = new TreeMap<>(requests);
    requests.clear();
    return copy;
  }

  static int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
