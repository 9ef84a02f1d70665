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

  JsonNode get(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(base + path).get().build()).execute()) {
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
