package dev.corpusforge.pipelines.fetch;

import java.io.Serializable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Decides whether the fetcher may connect to a resolved address. Refused unless private addresses
 * are allowed: loopback, "this network" (0.0.0.0/8), private ranges (10/8, 172.16/12, 192.168/16,
 * fc00::/7), carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10, which holds the
 * cloud metadata service 169.254.169.254), multicast, and IPv4-mapped forms of these. Also refused
 * always: the AWS IPv6 metadata address fd00:ec2::254 (covered by fc00::/7).
 *
 * <p>The decision is taken on the address a host name resolved to (so a public name pointing at
 * 127.0.0.1 is refused) and again on every redirect hop.
 */
public final class AddressGuard implements Serializable {
  private final boolean allowPrivate;
  private final java.util.Set<String> allowedHosts;

  public AddressGuard(boolean allowPrivate, java.util.Set<String> allowedHosts) {
    this.allowPrivate = allowPrivate;
    this.allowedHosts = java.util.Set.copyOf(allowedHosts);
  }

  /**
   * True when {@code host} (a name or an IP literal, as written in the URL) is explicitly allowed.
   */
  public boolean allowsHost(String host) {
    return allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT));
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /** Why {@code address} is refused, or null when it may be used. */
  public String refusal(InetAddress address) {
    if (allowPrivate) {
      return null;
    }
    String kind = privateKind(address);
    return kind == null ? null : address.getHostAddress() + " is " + kind;
  }

  /** The kind of non-public address this is, or null for a public address. */
  static String privateKind(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      if (isIpv4Mapped(b)) {
        try {
          return privateKind(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (java.net.UnknownHostException e) {
          return "an unparseable IPv4-mapped address";
        }
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "a private (unique local) address";
      }
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address (cloud metadata lives here)";
    }
    if (address.isSiteLocalAddress()) {
      return "a private address";
    }
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    if (address instanceof Inet4Address v4) {
      byte[] b = v4.getAddress();
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "a 'this network' address";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "a carrier-grade NAT address";
      }
      if (first >= 240) {
        return "a reserved address";
      }
    }
    return null;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    if (b.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
