import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.ExtractiveSummarizer;
import dev.corpusforge.annotators.graph.PromptTemplate;
import dev.corpusforge.annotators.graph.RandomWalkSampler;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.annotators.graph.WalkRule;
import dev.corpusforge.pipelines.cli.Forge;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * graph-summary throughput on Debian's package graph, in one JVM:
 * 1. samples per second of a bare one-thread loop (walk, GraphML, prompt with its token count,
 *    extractive summary) against the pipeline doing the same (no alignment), whole graph; each
 *    side has one round at full size that is not measured, then the better of two counts;
 * 2. the openai path against a local chat-completions server that answers after a fixed latency:
 *    the time from the first request to the last answer against the ideal, seeds × latency /
 *    (concurrency × workers), and what the LLM step adds to a whole run (openai run − extractive
 *    run, same seeds).
 *
 * <p>Usage: java -cp CLASSPATH bench/GraphSummaryBench.java GRAPH_DIR WORK LLM_SEEDS LATENCY_MS CONCURRENCY
 */
public class GraphSummaryBench {
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path graphDir = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int llmSeeds = Integer.parseInt(args[2]);
    int latency = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int workers = Runtime.getRuntime().availableProcessors();
    String nodes = graphDir.resolve("nodes.jsonl").toString();
    String edges = graphDir.resolve("edges.jsonl").toString();

    TextGraph.Builder b = new TextGraph.Builder();
    for (String line : Files.readAllLines(Path.of(nodes))) {
      JsonNode n = JSON.readTree(line);
      b.node(n.get("id").asText(), n.get("text").asText(), null);
    }
    for (String line : Files.readAllLines(Path.of(edges))) {
      JsonNode e = JSON.readTree(line);
      b.edge(e.get("src").asText(), e.get("dst").asText());
    }
    TextGraph g = b.build();
    // each side: one round at full size that is not measured (the JIT compiles what it runs), then
    // the better of two
    bare(g);
    double bare = 0;
    for (int round = 0; round < 2; round++) {
      bare = Math.max(bare, bare(g));
    }
    System.out.printf(Locale.ROOT, "graph: %d nodes, %d edges%nbare loop (one thread): %.0f samples/s%n", g.nodeCount(), g.edgeCount(), bare);
    // the fixed cost of a run: a three-node graph, after a first run that compiles the platform's code
    Path tiny = work.resolve("tiny");
    Files.createDirectories(tiny);
    Files.writeString(tiny.resolve("nodes.jsonl"), "{\"id\": \"a\", \"text\": \"A node.\"}\n{\"id\": \"b\", \"text\": \"B node.\"}\n{\"id\": \"c\", \"text\": \"C node.\"}\n");
    Files.writeString(tiny.resolve("edges.jsonl"), "{\"src\": \"a\", \"dst\": \"b\"}\n{\"src\": \"b\", \"dst\": \"c\"}\n");
    String[] tinyRun = {"run", "graph-summary", "--nodes", tiny.resolve("nodes.jsonl").toString(), "--edges", tiny.resolve("edges.jsonl").toString(), "--no-align"};
    run(work.resolve("tiny-out"), tinyRun);
    double fixed = run(work.resolve("tiny-out"), tinyRun);
    // a whole run that is not measured, then the better of two, as for the bare loop
    String[] wholeRun = {"run", "graph-summary", "--nodes", nodes, "--edges", edges, "--relation", "depends on", "--prompt", "generic", "--no-align"};
    double first = run(work.resolve("extractive-all"), wholeRun);
    System.out.printf(Locale.ROOT, "pipeline, whole graph, no alignment, first run in this JVM (not measured): %.1f s%n", first);
    double seconds = Double.MAX_VALUE;
    for (int round = 1; round <= 2; round++) {
      double s = run(work.resolve("extractive-all"), wholeRun);
      System.out.printf(Locale.ROOT, "pipeline, whole graph, no alignment, round %d: %.1f s, ratio %.2f%n", round, s, g.nodeCount() / s / bare);
      seconds = Math.min(seconds, s);
    }
    System.out.printf(Locale.ROOT, "pipeline, whole graph, no alignment (%d workers): %.1f s, %.0f samples/s, ratio to the bare loop %.2f%n",
        workers, seconds, g.nodeCount() / seconds, g.nodeCount() / seconds / bare);
    // a run that did nothing but the fixed cost and the bare loop's work on every worker at once
    // would reach this ratio; the same loop on that many threads, measured, since two threads on
    // two cores do not make one loop twice as fast (shared caches, the collector, the JIT)
    double onThreads = bareOnThreads(g, workers);
    double bareSeconds = g.nodeCount() / bare;
    System.out.printf(Locale.ROOT, "bare loop on %d threads at once: %.0f samples/s (%.2f x one thread)%n", workers, onThreads, onThreads / bare);
    System.out.printf(Locale.ROOT, "fixed cost of a warm run (three-node graph) %.1f s; ceiling: the fixed cost plus the bare loop on %d threads: ratio %.2f (%.2f if %d threads were %d times one)%n",
        fixed, workers, bareSeconds / (fixed + g.nodeCount() / onThreads), bareSeconds / (fixed + bareSeconds / workers), workers, workers);

    // answer in one segment, as serving stacks do: with Nagle's algorithm on, the JDK server's
    // separate header and body writes would add a delayed-ACK wait (~40 ms) to every answer
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicInteger requests = new AtomicInteger();
    AtomicLong firstRequest = new AtomicLong(Long.MAX_VALUE);
    AtomicLong lastAnswer = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
    var handlers = Executors.newFixedThreadPool(256);
    server.setExecutor(handlers);
    server.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      firstRequest.accumulateAndGet(System.nanoTime(), Math::min);
      try {
        Thread.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = ("{\"choices\": [{\"message\": {\"content\": \"An answer number " + requests.get() + " about this package and its dependencies.\"}}]}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
    });
    server.start();
    try {
      String[] common = {"run", "graph-summary", "--nodes", nodes, "--edges", edges, "--seeds", "sample:" + llmSeeds, "--relation", "depends on", "--prompt", "generic", "--no-align"};
      double extractive = run(work.resolve("extractive-seeds"), common);
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      double llm = run(work.resolve("openai-seeds"), concat(common, "--summarizer", "openai", "--endpoint", endpoint, "--llm-model", "bench", "--llm-concurrency",
          Integer.toString(concurrency), "--llm-cache", work.resolve("cache-" + System.nanoTime()).toString()));
      double ideal = llmSeeds * (latency / 1000.0) / (concurrency * workers);
      double span = (lastAnswer.get() - firstRequest.get()) / 1e9;
      System.out.printf(Locale.ROOT, "openai path, %d seeds, %d ms latency, %d in flight × %d workers: %d requests in %.1f s from the first request to the last answer, ideal %.1f s, ratio %.2f%n",
          llmSeeds, latency, concurrency, workers, requests.get(), span, ideal, ideal / span);
      System.out.printf(Locale.ROOT, "  whole run %.1f s vs the extractive run of the same seeds %.1f s: the LLM step added %.1f s (ratio %.2f)%n",
          llm, extractive, llm - extractive, ideal / (llm - extractive));
    } finally {
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  /** Samples per second of the bare loop on {@code threads} threads at once, each every n-th node. */
  static double bareOnThreads(TextGraph g, int threads) throws Exception {
    var pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      var parts = new java.util.ArrayList<java.util.concurrent.Future<Double>>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> bare(g, first, threads)));
      }
      for (var part : parts) {
        part.get();
      }
      return g.nodeCount() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  static double bare(TextGraph g) throws Exception {
    return bare(g, 0, 1);
  }

  /** The bare loop over nodes first, first + step, …; samples per second. */
  static double bare(TextGraph g, int first, int step) throws Exception {
    try (DocumentTokenizer tokens = new DocumentTokenizer.Spec("cl100k_base", null).open()) {
      RandomWalkSampler sampler = new RandomWalkSampler(g, new WalkRule(64, 0.5, 0, 0));
      SampleSerializer serializer = new SampleSerializer(g, new SampleSerializer.Options("depends on", 1000, 6000, 400), PromptTemplate.GENERIC,
          t -> tokens.encode(t).length - 1);
      var common = ExtractiveSummarizer.commonWords(g, ExtractiveSummarizer.COMMON_SHARE);
      long start = System.nanoTime();
      long chars = 0;
      int count = 0;
      for (int v = first; v < g.nodeCount(); v += step) {
        count++;
        SampleSerializer.Serialized s = serializer.serialize(sampler.sample(v));
        String summary = ExtractiveSummarizer.summarize(s.nodes(), s.sample().hops(), "depends on", common);
        chars += summary.length() + tokens.encode(summary).length;
      }
      if (chars == 0) {
        throw new IllegalStateException();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }

  static double run(Path out, String... args) {
    long start = System.nanoTime();
    int code = Forge.execute(concat(args, "--output", out.toString(), "--overwrite", "--progress-seconds", "0"));
    if (code != 0) {
      throw new IllegalStateException("graph-summary failed: " + code);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
