package dev.aiaas.gateway.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The browser session's refresh token as a cookie: HttpOnly (scripts never see it), SameSite=Strict
 * (other sites cannot make the browser send it) and scoped to {@code /v1/auth}, so it travels only
 * with login, refresh and logout, never with ordinary API calls.
 */
public final class SessionCookie {

  /** The cookie's name. */
  public static final String NAME = "aiaas_refresh";

  private static final String PATH = "/v1/auth";

  private SessionCookie() {}

  /** The {@code Set-Cookie} value that hands {@code refreshToken} to the browser. */
  public static String set(String refreshToken, HttpServerRequest request) {
    return NAME + "=" + refreshToken + "; Max-Age=" + AuthService.REFRESH_TTL.toSeconds() + attributes(request);
  }

  /** The {@code Set-Cookie} value that makes the browser drop the cookie. */
  public static String clear(HttpServerRequest request) {
    return NAME + "=; Max-Age=0" + attributes(request);
  }

  /** The refresh token the browser sent, if any. */
  public static Optional<String> of(HttpServerRequest request) {
    Cookie cookie = request.getCookie(NAME);
    return cookie == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
  }

  private static String attributes(HttpServerRequest request) {
    // Behind a TLS-terminating proxy the request reaches us over plain http; the proxy's
    // X-Forwarded-Proto says what the browser used. Secure only ever narrows where the cookie goes.
    boolean https = request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    return "; Path=" + PATH + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
  }
}
