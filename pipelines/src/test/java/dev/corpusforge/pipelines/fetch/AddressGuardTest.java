package dev.corpusforge.pipelines.fetch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard's decision on resolved addresses; nothing here opens a connection. */
class AddressGuardTest {
  private final AddressGuard guard = new AddressGuard(false, Set.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "10.0.0.5",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fd00:ec2::254",
        "fc00::1",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "240.0.0.1"
      })
  void refusesPrivateLoopbackLinkLocalAndMetadata(String address) {
    String refusal = guard.refusal(InetAddresses.forString(address));
    assertNotNull(refusal, address + " should be refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.215.14",
        "8.8.8.8",
        "172.32.0.1",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "100.128.0.1"
      })
  void allowsPublicAddresses(String address) {
    assertNull(guard.refusal(InetAddresses.forString(address)), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "169.254.169.254", "10.1.1.1"})
  void allowPrivateOpensEverything(String address) {
    assertNull(new AddressGuard(true, Set.of()).refusal(InetAddresses.forString(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mirror.internal", "10.0.0.7"})
  void allowListedHostsAreAllowedByName(String host) {
    assertTrue(new AddressGuard(false, Set.of("mirror.internal", "10.0.0.7")).allowsHost(host));
  }
}
