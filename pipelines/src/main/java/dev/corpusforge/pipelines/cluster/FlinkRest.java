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

  /** @param address {@code host:port} of the JobManager's REST endpoint */
  public FlinkRest(String address) {
    this.base = "http://" + address;
    this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30)).build();
  }

  /** {@code GET /overview}: TaskManagers, slots, jobs by state; null when the JobManager does not answer (yet). */
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
    try (Response r = http.newCall(new Request.Builder().url(base + "/jobs/" + id + "?mode=cancel")
        .patch(okhttp3.RequestBody.create(new byte[0], null)).build()).execute()) {
      if (r.code() != 202 && r.code() != 200) {
        throw new IOException("HTTP " + r.code() + " cancelling job " + id + " at " + base + (r.code() == 404 ? ": no such job" : ""));
      }
    }
  }

  JsonNode get(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(base + path).get().build()).execute()) {
      if (r.code() != 200 || r.body() == null) {
        throw new IOException("HTTP " + r.code() + " from " + base + path + (r.code() == 404 ? ": not found" : ""));
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
