package dev.corpusforge.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** forge jobs against a server on 127.0.0.1 that answers as Flink's REST API does. */
class JobsCommandTest {
  @Test
  void statusExitCodesFollowTheJobStateAndCancelSendsThePatch() throws Exception {
    List<String> requests = new ArrayList<>();
    try (MockWebServer flink = new MockWebServer()) {
      flink.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest r) {
          synchronized (requests) {
            requests.add(r.getMethod() + " " + r.getPath());
          }
          String job = "{\"jid\":\"%s\",\"name\":\"corpusforge-x\",\"state\":\"%s\",\"start-time\":0,\"duration\":1500}";
          return switch (r.getPath()) {
            case "/jobs/overview" -> new MockResponse().setBody("{\"jobs\":[" + job.formatted("aa", "FINISHED") + "," + job.formatted("bb", "RUNNING") + "]}");
            case "/jobs/aa" -> new MockResponse().setBody(job.formatted("aa", "FINISHED"));
            case "/jobs/bb" -> new MockResponse().setBody(job.formatted("bb", "RUNNING"));
            case "/jobs/cc" -> new MockResponse().setBody(job.formatted("cc", "FAILED"));
            case "/jobs/bb?mode=cancel" -> new MockResponse().setResponseCode(202).setBody("{}");
            default -> new MockResponse().setResponseCode(404).setBody("{\"errors\":[\"not found\"]}");
          };
        }
      });
      flink.start(InetAddress.getLoopbackAddress(), 0);
      String master = "127.0.0.1:" + flink.getPort();
      assertEquals(0, Forge.execute("jobs", "list", "--flink-master", master));
      assertEquals(0, Forge.execute("jobs", "status", "aa", "--flink-master", master));
      assertEquals(4, Forge.execute("jobs", "status", "bb", "--flink-master", master), "still running");
      assertEquals(1, Forge.execute("jobs", "status", "cc", "--flink-master", master), "failed");
      assertEquals(2, Forge.execute("jobs", "status", "zz", "--flink-master", master), "no such job");
      assertEquals(0, Forge.execute("jobs", "cancel", "bb", "--flink-master", "http://" + master));
      assertEquals(2, Forge.execute("jobs", "cancel", "zz", "--flink-master", master));
      assertTrue(requests.contains("PATCH /jobs/bb?mode=cancel"), requests.toString());
    }
  }
}
