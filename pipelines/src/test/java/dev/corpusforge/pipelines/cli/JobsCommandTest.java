package dev.corpusforge.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.testing.ForgeCall;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forge jobs against a server on 127.0.0.1 that answers as Flink's REST API does. */
class JobsCommandTest {
  @TempDir Path tmp;

  @Test
  void statusExitCodesFollowTheJobStateAndCancelSendsThePatch() throws Exception {
    List<String> requests = new ArrayList<>();
    try (MockWebServer flink = new MockWebServer()) {
      flink.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              synchronized (requests) {
                requests.add(r.getMethod() + " " + r.getPath());
              }
              String job =
                  "{\"jid\":\"%s\",\"name\":\"corpusforge-x\",\"state\":\"%s\",\"start-time\":0,\"duration\":1500}";
              return switch (r.getPath()) {
                case "/jobs/overview" ->
                    new MockResponse()
                        .setBody(
                            "{\"jobs\":["
                                + job.formatted("aa", "FINISHED")
                                + ","
                                + job.formatted("bb", "RUNNING")
                                + "]}");
                case "/jobs/aa" -> new MockResponse().setBody(job.formatted("aa", "FINISHED"));
                case "/jobs/bb" -> new MockResponse().setBody(job.formatted("bb", "RUNNING"));
                case "/jobs/cc" -> new MockResponse().setBody(job.formatted("cc", "FAILED"));
                case "/jobs/bb?mode=cancel" ->
                    new MockResponse().setResponseCode(202).setBody("{}");
                default ->
                    new MockResponse().setResponseCode(404).setBody("{\"errors\":[\"not found\"]}");
              };
            }
          });
      flink.start(InetAddress.getLoopbackAddress(), 0);
      String master = "127.0.0.1:" + flink.getPort();
      assertEquals(0, Forge.execute("jobs", "list", "--flink-master", master));
      assertEquals(0, Forge.execute("jobs", "status", "aa", "--flink-master", master));
      assertEquals(
          4, Forge.execute("jobs", "status", "bb", "--flink-master", master), "still running");
      assertEquals(1, Forge.execute("jobs", "status", "cc", "--flink-master", master), "failed");
      assertEquals(
          2, Forge.execute("jobs", "status", "zz", "--flink-master", master), "no such job");
      assertEquals(0, Forge.execute("jobs", "cancel", "bb", "--flink-master", "http://" + master));
      assertEquals(2, Forge.execute("jobs", "cancel", "zz", "--flink-master", master));
      assertTrue(requests.contains("PATCH /jobs/bb?mode=cancel"), requests.toString());

      // a detached run whose job the cluster no longer knows (its JobManager restarted): lost, exit
      // 1, one line
      Path out = detachedRun(tmp.resolve("restarted"), "zz", master);
      ForgeCall.Outcome lost =
          ForgeCall.run("jobs", "finish", out.toString(), "--poll-seconds", "1");
      assertEquals(1, lost.exit(), lost.err());
      assertTrue(
          lost.err().contains("does not know job zz (its JobManager was restarted")
              && lost.err().contains("_run/ kept"),
          lost.err());
      assertFalse(lost.hasStackTrace(), lost.err());
      assertFalse(Files.exists(out.resolve("_SUCCESS")));
      assertTrue(Files.exists(out.resolve("_run/submission.json")), "left for a later run");
    }
  }

  @Test
  void anUnreachableClusterIsOneLineAndExitOneForEveryCommand() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String master = "127.0.0.1:" + closed;
    for (String[] args :
        List.of(
            new String[] {"jobs", "list", "--flink-master", master},
            new String[] {"jobs", "status", "aa", "--flink-master", master},
            new String[] {"jobs", "cancel", "aa", "--flink-master", master})) {
      ForgeCall.Outcome o = ForgeCall.run(args);
      assertEquals(1, o.exit(), o.err());
      assertTrue(
          o.err().startsWith("error: no Flink JobManager answers at " + master)
              && o.err().contains("forge cluster start"),
          o.err());
      assertFalse(o.hasStackTrace(), o.err());
    }
    Path out = detachedRun(tmp.resolve("dead"), "aa", master);
    ForgeCall.Outcome lost = ForgeCall.run("jobs", "finish", out.toString(), "--poll-seconds", "1");
    assertEquals(1, lost.exit(), lost.err());
    assertTrue(
        lost.err().contains("job aa is lost with its JobManager")
            && lost.err().contains("--overwrite"),
        lost.err());
    assertFalse(lost.hasStackTrace(), lost.err());
  }

  /** The working folder a detached submission leaves in its output. */
  private static Path detachedRun(Path out, String jobId, String master) throws Exception {
    Files.createDirectories(out.resolve("_run"));
    Files.writeString(
        out.resolve("_run/submission.json"),
        "{\"job_id\":\""
            + jobId
            + "\",\"flink_master\":\""
            + master
            + "\",\"job_name\":\"corpusforge-x\",\"manifest_head\":{}}\n");
    return out;
  }
}
