package dev.corpusforge.pipelines.run;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client builder with path-style addressing when asked ({@link ForgeS3Options}), and
 * checksums only where S3 requires them: the SDK's default request checksums break against several
 * S3-compatible servers. Instantiated by Beam on every worker.
 */
public class ForgeS3ClientBuilderFactory extends DefaultS3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = super.createBuilder(options);
    builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
    builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (options.as(ForgeS3Options.class).getS3PathStyle()) {
      builder.forcePathStyle(true);
    }
    return builder;
  }
}
