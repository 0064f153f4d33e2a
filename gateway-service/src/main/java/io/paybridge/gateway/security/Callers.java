package io.paybridge.gateway.security;

import org.springframework.web.server.ServerWebExchange;

/** Who is calling, as the gateway's authorisation found it. */
public final class Callers {

  static final String TEAM_ATTRIBUTE = Callers.class.getName() + ".team";

  private Callers() {}

  /** The team of an authorised exchange, or {@code null} on a public route. */
  public static String teamOf(ServerWebExchange exchange) {
    return exchange.getAttribute(TEAM_ATTRIBUTE);
  }
}
