package dev.corpusforge.pipelines.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;

/**
 * Resolves host names and hands OkHttp only the addresses the {@link AddressGuard} allows, so the
 * connection goes to an address that was checked (no second lookup that could answer differently).
 */
final class GuardedDns implements Dns {
  private final AddressGuard guard;

  GuardedDns(AddressGuard guard) {
    this.guard = guard;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    if (guard.allowsHost(host)) {
      return Dns.SYSTEM.lookup(host);
    }
    List<InetAddress> allowed = new ArrayList<>();
    String firstRefusal = null;
    for (InetAddress address : Dns.SYSTEM.lookup(host)) {
      String refusal = guard.refusal(address);
      if (refusal == null) {
        allowed.add(address);
      } else if (firstRefusal == null) {
        firstRefusal = refusal;
      }
    }
    if (allowed.isEmpty()) {
      throw new RefusedAddressException(host + " resolves to " + firstRefusal);
    }
    return allowed;
  }

  /** Every address of a host was refused by the guard. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }
}
