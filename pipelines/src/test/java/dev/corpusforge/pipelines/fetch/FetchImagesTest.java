package dev.corpusforge.pipelines.fetch;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fetch transform on a server at 127.0.0.1: samples with bytes pass through, URLs are fetched
 * or rejected.
 */
@ExtendWith(TestPipelineExtension.class)
public class FetchImagesTest {
  TestPipeline p;
  private transient MockWebServer server;

  @BeforeEach
  public void start() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return request.getPath().startsWith("/ok")
                ? new MockResponse().setBody("bytes of " + request.getPath())
                : new MockResponse().setResponseCode(404);
          }
        });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  public void stop() throws IOException {
    server.shutdown();
  }

  private static ImageTextSample url(String id, String url) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource(url)
        .setUrl(url)
        .setCaption("c")
        .build();
  }

  @Test
  public void fetchesUrlsAndRejectsFailures() {
    String base = "http://localhost:" + server.getPort();
    ImageTextSample local =
        ImageTextSample.newBuilder()
            .setSampleId("local")
            .setSource("/a.jpg")
            .setCaption("c")
            .setImage(ByteBuffer.wrap(new byte[] {1}))
            .build();
    FetchConfig config =
        FetchConfig.defaults().withAllowedHosts(Set.of("localhost")).withRetries(0, 1);
    StepResult<ImageTextSample> out =
        p.apply(
                Create.of(
                        url("1", base + "/ok/1.jpg"),
                        url("2", base + "/ok/2.jpg"),
                        url("3", base + "/gone.jpg"),
                        url("4", "http://169.254.169.254/x"),
                        local)
                    .withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(FetchImages.with(config));
    PAssert.that(
            out.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            s -> {
                              byte[] b = new byte[s.getImage().remaining()];
                              s.getImage().duplicate().get(b);
                              return s.getSampleId()
                                  + "|"
                                  + new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                            })))
        .containsInAnyOrder("1|bytes of /ok/1.jpg", "2|bytes of /ok/2.jpg", "local|\u0001");
    PAssert.that(
            out.rejects()
                .apply(
                    "rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + "|" + r.getStage() + "|" + r.getReason())))
        .containsInAnyOrder("3|fetch|fetch_http_404", "4|fetch|fetch_address_refused");
    p.run().waitUntilFinish();
  }
}
