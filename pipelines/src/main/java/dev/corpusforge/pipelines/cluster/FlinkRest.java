package dev.corpusforge.pipelines.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The few calls of Flink's REST API the CLI needs. */
public final class FlinkRest implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final OkHttpClient http;

  /**
   * @param address {@code host:port} of the JobManager's REST endpoint
   */
  public FlinkRest(String address) {
    this.base = "http://" + address;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .build();
  }

  /**
   * {@code GET /overview}: TaskManagers, slots, jobs by state; null when the JobManager does not
   * answer (yet).
   */
  public JsonNode overview() {
    try {
      return get("/overview");
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The parallelism a job gets when it asks for none: the cluster's {@code parallelism.default},
   * else its slot count; 1 when the cluster does not say.
   */
  public int defaultParallelism() throws IOException {
    for (JsonNode entry : get("/jobmanager/config")) {
      if (entry.path("key").asText().equals("parallelism.default")) {
        return Math.max(1, entry.path("value").asInt(1));
      }
    }
    JsonNode overview = overview();
    return overview == null ? 1 : Math.max(1, overview.path("slots-total").asInt(1));
  }

  /** {@code GET /jobs/overview}: every job the cluster knows, newest first. */
  public JsonNode jobs() throws IOException {
    return get("/jobs/overview");
  }

  /** {@code GET /jobs/ID}: one job's state, timestamps and vertices. */
  public JsonNode job(String id) throws IOException {
    return get("/jobs/" + id);
  }

  /** {@code PATCH /jobs/ID?mode=cancel}: asks the cluster to cancel the job. */
  public void cancel(String id) throws IOException {
    try (Response r =
        execute(
            new Request.Builder()
                .url(base + "/jobs/" + id + "?mode=cancel")
                .patch(okhttp3.RequestBody.create(new byte[0], null))
                .build())) {
      if (r.code() != 202 && r.code() != 200) {
        throw new IOException(
            "HTTP "
                + r.code()
                + " cancelling job "
                + id
                + " at "
                + base
                + (r.code() == 404 ? ": no such job" : ""));
      }
    }
  }

  /** No JobManager answers at the address: none was started, or it died. */
  public static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The JobManager answers but knows nothing at the path (a job it never had, or lost in a
   * restart).
   */
  public static final class NotFound extends IOException {
    NotFound(String message) {
      super(message);
    }
  }

  private Response execute(Request request) throws IOException {
    try {
      return http.newCall(request).execute();
    } catch (java.net.SocketException
        | java.net.SocketTimeoutException
        | java.net.UnknownHostException e) {
      throw new Unreachable(
          "no Flink JobManager answers at "
              + base.substring("http://".length())
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          e);
    }
  }

  /**
   * {@code GET /jobs/:id/vertices/:vertex/subtasks/metrics}: the ids of the metrics a running
   * vertex's subtasks report (none once it has finished).
   */
  public JsonNode vertexMetricIds(String jobId, String vertexId) throws IOException {
    return get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics");
  }

  /** The sum over a running vertex's subtasks of the metric {@code metricId}, or -1 if none. */
  public long vertexMetricSum(String jobId, String vertexId, String metricId) throws IOException {
    JsonNode values =
        get(
            "/jobs/"
                + jobId
                + "/vertices/"
                + vertexId
                + "/subtasks/metrics?agg=sum&get="
                + java.net.URLEncoder.encode(metricId, java.nio.charset.StandardCharsets.UTF_8));
    for (JsonNode v : values) {
      if (metricId.equals(v.path("id").asText()) && v.has("sum")) {
        return (long) v.path("sum").asDouble();
      }
    }
    return -1;
  }

  /** {@code GET /jobs/:id/accumulators}: the accumulators of the job's finished tasks. */
  public JsonNode accumulators(String jobId) throws IOException {
    return get("/jobs/" + jobId + "/accumulators");
  }

  /** The id of the job named {@code jobName}, or null while the cluster does not list it. */
  public String jobIdByName(String jobName) throws IOException {
    for (JsonNode j : jobs().path("jobs")) {
      if (jobName.equals(j.path("name").asText())) {
        return j.path("jid").asText();
      }
    }
    return null;
  }

  JsonNode get(String path) throws IOException {
    try (Response r = execute(new Request.Builder().url(base + path).get().build())) {
      if (r.code() == 404) {
        throw new NotFound("HTTP 404 from " + base + path + ": not found");
      }
      if (r.code() != 200 || r.body() == null) {
        throw new IOException("HTTP " + r.code() + " from " + base + path);
      }
      return JSON.readTree(r.body().byteStream());
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
