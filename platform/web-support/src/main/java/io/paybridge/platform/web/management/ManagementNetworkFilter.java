package io.paybridge.platform.web.management;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the management port only: the probes to anyone, everything else (health details, metrics,
 * Prometheus) to clients of the trusted networks; others get 403. Runs before any authentication,
 * so that a service that also asks operators for a token still refuses outsiders first.
 */
public final class ManagementNetworkFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(ManagementNetworkFilter.class);

  private final ManagementClients clients;

  public ManagementNetworkFilter(ManagementPortProperties properties) {
    this.clients = new ManagementClients(properties);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // The raw path, compared exactly: any other spelling of a probe's path (a trailing segment,
    // a parameter, an encoding) is treated as a protected path, never the other way round.
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (clients.allowed(path, request.getRemoteAddr())) {
      chain.doFilter(request, response);
      return;
    }
    log.warn(
        "Refused management request {} {} from {}: not a trusted network",
        request.getMethod(),
        path,
        request.getRemoteAddr());
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("application/problem+json");
    response.getOutputStream().write(ManagementClients.REFUSED);
  }

  boolean isTrusted(String address) {
    return clients.isTrusted(address);
  }
}
