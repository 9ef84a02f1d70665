package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkSystemSetting;

class InstanceMetadataTest {
  @Test
  void theSdkIsToldNotToAskTheMetadataService() {
    assumeTrue(System.getenv("AWS_EC2_METADATA_DISABLED") == null, "the environment decides");
    String before = System.clearProperty(InstanceMetadata.PROPERTY);
    try {
      InstanceMetadata.refuseUnlessAllowed();
      assertTrue(SdkSystemSetting.AWS_EC2_METADATA_DISABLED.getBooleanValueOrThrow());
    } finally {
      if (before != null) {
        System.setProperty(InstanceMetadata.PROPERTY, before);
      }
    }
  }
}
