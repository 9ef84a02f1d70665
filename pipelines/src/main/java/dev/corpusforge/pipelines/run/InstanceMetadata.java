package dev.corpusforge.pipelines.run;

/**
 * When no region or credentials are configured, the AWS SDK asks the EC2 instance-metadata service
 * at 169.254.169.254, a link-local address the platform never contacts unless the user allows it.
 * It is off unless {@code AWS_EC2_METADATA_DISABLED=false} (or {@code
 * -Daws.disableEc2Metadata=false}) says otherwise, e.g. on an EC2 host that takes its credentials
 * from an instance profile.
 */
public final class InstanceMetadata {
  static final String PROPERTY = "aws.disableEc2Metadata";

  private InstanceMetadata() {}

  /**
   * Turns the SDK's metadata lookups off unless the environment or a system property has decided.
   */
  public static void refuseUnlessAllowed() {
    if (System.getenv("AWS_EC2_METADATA_DISABLED") == null
        && System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "true");
    }
  }
}
