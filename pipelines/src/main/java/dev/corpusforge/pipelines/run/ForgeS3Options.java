package dev.corpusforge.pipelines.run;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Beam's S3 options plus path-style addressing, which S3-compatible servers (MinIO, s3proxy) need.
 */
public interface ForgeS3Options extends S3Options {
  @Description("Address buckets by path (http://host/bucket/key) instead of by virtual host.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);
}
