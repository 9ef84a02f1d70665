package dev.corpusforge.pipelines.fetch;

/** Reason codes of the fetch stage ({@code fetch_http_<code>} carries the final HTTP status). */
public final class FetchReasons {
  private FetchReasons() {}

  public static final String BAD_URL = "fetch_bad_url";
  public static final String ADDRESS_REFUSED = "fetch_address_refused";
  public static final String DNS_FAILED = "fetch_dns_failed";
  public static final String CONNECT_FAILED = "fetch_connect_failed";
  public static final String TIMEOUT = "fetch_timeout";
  public static final String TOO_MANY_REDIRECTS = "fetch_too_many_redirects";
  public static final String REDIRECT_BLOCKLISTED = "fetch_redirect_blocklisted";
  public static final String TOO_LARGE = "fetch_too_large";
  public static final String ROBOTS_NOAI = "fetch_robots_noai";
  public static final String ERROR = "fetch_error";
  public static final String HTTP_PREFIX = "fetch_http_";
}
