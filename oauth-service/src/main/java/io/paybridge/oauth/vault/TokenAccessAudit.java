package io.paybridge.oauth.vault;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.web.InternalAccessDeniedListener;
import io.paybridge.platform.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * The audit trail of the token endpoint ({@code token_access_audit}): who asked for which
 * merchant's token, when, and whether they got it.
 */
@Component
class TokenAccessAudit implements InternalAccessDeniedListener {

  static final String GRANTED = "granted";
  static final String NOT_CONNECTED = "not_connected";
  static final String FORBIDDEN = "forbidden";
  static final String KEY_UNAVAILABLE = "key_unavailable";

  private static final Pattern TOKEN_PATH =
      Pattern.compile("/internal/merchants/([^/]{1,64})/access-token");

  private final JdbcTemplate jdbc;
  private final MeterRegistry meters;

  TokenAccessAudit(JdbcTemplate jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.meters = meters;
  }

  void record(String merchantId, Caller caller, String outcome, String requestId) {
    jdbc.update(
        """
        insert into token_access_audit (merchant_id, caller_subject, caller_client_id, outcome, request_id)
        values (?, ?, ?, ?, ?)
        """,
        merchantId,
        caller.subject(),
        caller.clientId(),
        outcome,
        requestId);
    meters.counter("paybridge.oauth.token.access", "outcome", outcome).increment();
  }

  @Override
  public void denied(HttpServletRequest request) {
    var matcher = TOKEN_PATH.matcher(request.getRequestURI());
    if (matcher.matches()
        && SecurityContextHolder.getContext().getAuthentication()
            instanceof JwtAuthenticationToken jwt) {
      record(matcher.group(1), Caller.of(jwt.getToken()), FORBIDDEN, RequestIds.of(request));
    }
  }

  /** The identity of a caller as its JWT states it. */
  record Caller(String subject, String clientId) {
    static Caller of(org.springframework.security.oauth2.jwt.Jwt jwt) {
      // client_id (RFC 9068) where the issuer sets it, else the authorised party.
      String client = jwt.getClaimAsString("client_id");
      if (client == null) {
        client = jwt.getClaimAsString("azp");
      }
      return new Caller(jwt.getSubject(), client);
    }
  }
}
