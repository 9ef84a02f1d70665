package dev.corpusforge.filters.blocklist;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * URLs and whole domains not to fetch. A line with a scheme ({@code https://host/path}) blocks that
 * URL exactly (scheme and host compared case-insensitively, the rest as written); a bare domain
 * ({@code example.com}) blocks every URL on it and on its subdomains.
 */
public final class UrlBlocklist {
  private final BlocklistFile file;
  private final Set<String> urls;
  private final Set<String> domains;

  private UrlBlocklist(BlocklistFile file, Set<String> urls, Set<String> domains) {
    this.file = file;
    this.urls = urls;
    this.domains = domains;
  }

  /** Reads and checks the list; a line that is neither a URL nor a domain fails the run. */
  public static UrlBlocklist read(String path) throws IOException {
    Set<String> urls = new HashSet<>();
    Set<String> domains = new HashSet<>();
    BlocklistFile file =
        BlocklistFile.read(
            "--blocklist-urls",
            path,
            (number, text) -> {
              if (text.contains("://")) {
                String url = normalised(text);
                if (url == null) {
                  throw bad(path, number);
                }
                urls.add(url);
              } else {
                String domain = domain(text);
                if (domain == null) {
                  throw bad(path, number);
                }
                domains.add(domain);
              }
            });
    return new UrlBlocklist(file, urls, domains);
  }

  private static IllegalArgumentException bad(String path, int number) {
    return new IllegalArgumentException(
        "--blocklist-urls " + path + " line " + number + ": neither a URL nor a domain name");
  }

  public BlocklistFile file() {
    return file;
  }

  /** URLs and domains listed. */
  public int[] sizes() {
    return new int[] {urls.size(), domains.size()};
  }

  /** {@code url} if that URL is listed, {@code domain} if its host or a parent is, else null. */
  public String match(String url) {
    String normal = normalised(url);
    if (normal == null) {
      return null;
    }
    if (urls.contains(normal)) {
      return "url";
    }
    String host = host(normal);
    for (String h = host; h != null; h = parent(h)) {
      if (domains.contains(h)) {
        return "domain";
      }
    }
    return null;
  }

  /**
   * The URL as fetched: scheme and host in lower case (a trailing dot dropped), user info, port,
   * path and query as written, no fragment (never sent); null when {@code url} is not one.
   */
  static String normalised(String url) {
    try {
      URI uri = new URI(url.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      StringBuilder out = new StringBuilder(uri.getScheme().toLowerCase(Locale.ROOT)).append("://");
      if (uri.getRawUserInfo() != null) {
        out.append(uri.getRawUserInfo()).append('@');
      }
      out.append(host);
      if (uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
      out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
      if (uri.getRawQuery() != null) {
        out.append('?').append(uri.getRawQuery());
      }
      return out.toString();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String host(String normalised) {
    return URI.create(normalised).getHost();
  }

  private static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? null : host.substring(dot + 1);
  }

  /** A bare domain in lower case, or null when {@code text} is not one. */
  static String domain(String text) {
    String d = text.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty()
        || d.length() > 253
        || !d.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")) {
      return null;
    }
    return d;
  }
}
