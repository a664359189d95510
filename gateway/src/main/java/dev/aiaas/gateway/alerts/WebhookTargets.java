package dev.aiaas.gateway.alerts;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.dns.DnsClient;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a webhook URL may be called: http or https only, and, unless the operator allows
 * it, never an address of the platform's own networks (loopback, private, link-local, unique-local),
 * so a tenant cannot make the platform probe them. Names are resolved with Vert.x's DNS client,
 * when the URL is saved and again before every delivery (a name may be re-pointed in between).
 */
public final class WebhookTargets {

  static final int MAX_URL_LENGTH = 2048;

  private final DnsClient dns;
  private final boolean allowPrivate;

  public WebhookTargets(DnsClient dns, boolean allowPrivate) {
    this.dns = dns;
    this.allowPrivate = allowPrivate;
  }

  /** Where a delivery goes: the parsed URL and, when checked, the address it was checked at. */
  public record Target(URI uri, String host, int port, boolean ssl, Optional<String> address) {}

  /** Why a URL is refused; the message is shown to the tenant. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The URL's shape alone: scheme, host, no credentials. Fails with {@link Refused}. */
  public static Target parse(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      throw new Refused("must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials in the URL would be shown in the delivery log; the signature authenticates us.
      throw new Refused("must not carry credentials");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() == -1 ? (ssl ? 443 : 80) : uri.getPort();
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new Target(uri, host, port, ssl, Optional.empty());
  }

  /**
   * The target of {@code url}, resolved and checked unless private targets are allowed; fails with
   * {@link Refused} when it may not be called.
   */
  public Future<Target> check(String url) {
    Target target;
    try {
      target = parse(url);
    } catch (Refused refused) {
      return Future.failedFuture(refused);
    }
    if (allowPrivate) {
      return Future.succeededFuture(target);
    }
    String lower = target.host().toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      return Future.failedFuture(new Refused("must not target a loopback, private, link-local or unique-local address"));
    }
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(target.host());
    Future<InetAddress> address = literal != null
        ? Future.succeededFuture(byAddress(literal))
        : dns.lookup(target.host())
            .recover(failure -> Future.failedFuture(new Refused("host " + target.host() + " does not resolve")))
            .compose(found -> found == null
                ? Future.failedFuture(new Refused("host " + target.host() + " does not resolve"))
                : Future.succeededFuture(byAddress(NetUtil.createByteArrayFromIpAddressString(found))));
    return address.compose(resolved -> isInternal(resolved)
        ? Future.failedFuture(new Refused("must not target a loopback, private, link-local or unique-local address"))
        : Future.succeededFuture(new Target(target.uri(), target.host(), target.port(), target.ssl(),
            Optional.of(resolved.getHostAddress()))));
  }

  private static InetAddress byAddress(byte[] raw) {
    try {
      // From raw bytes: no lookup happens.
      return InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new Refused("not an IP address");
    }
  }

  /** Loopback, unspecified, private, shared (CGNAT), link-local, unique-local or multicast. */
  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address v6) {
      if (v6.isIPv4CompatibleAddress()) {
        return isInternal(byAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      }
      return (b[0] & 0xfe) == 0xfc;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return address instanceof Inet4Address && (first == 0 || (first == 100 && second >= 64 && second < 128));
  }
}
