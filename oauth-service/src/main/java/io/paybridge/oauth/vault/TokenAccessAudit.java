package io.paybridge.oauth.vault;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.web.InternalAccessDeniedListener;
import io.paybridge.oauth.web.SecurityProperties;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.web.RequestIds;
import io.paybridge.platform.web.security.ClientAllowList;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
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

  private final TokenAccessAuditRepository audits;
  private final AuditLog auditLog;
  private final MeterRegistry meters;
  private final List<String> clientIdClaims;

  TokenAccessAudit(
      TokenAccessAuditRepository audits,
      AuditLog auditLog,
      MeterRegistry meters,
      SecurityProperties security) {
    this.audits = audits;
    this.auditLog = auditLog;
    this.meters = meters;
    this.clientIdClaims = security.clientIdClaims();
  }

  /** The identity of a caller as its JWT states it. */
  Caller caller(Jwt jwt) {
    return new Caller(jwt.getSubject(), ClientAllowList.clientId(jwt, clientIdClaims));
  }

  void record(String merchantId, Caller caller, String outcome, String requestId) {
    audits.insert(merchantId, caller.subject(), caller.clientId(), outcome, requestId);
    // The platform's audit log too, which operators query across services (same transaction).
    auditLog.record(
        caller.clientId() != null ? "client:" + caller.clientId() : "subject:" + caller.subject(),
        "merchant-token.read",
        merchantId,
        java.util.Map.of("outcome", outcome));
    meters.counter("paybridge.oauth.token.access", "outcome", outcome).increment();
  }

  @Override
  public void denied(HttpServletRequest request) {
    var matcher = TOKEN_PATH.matcher(request.getRequestURI());
    if (matcher.matches()
        && SecurityContextHolder.getContext().getAuthentication()
            instanceof JwtAuthenticationToken jwt) {
      record(matcher.group(1), caller(jwt.getToken()), FORBIDDEN, RequestIds.of(request));
    }
  }

  /** The caller's subject and client ({@link SecurityProperties#clientIdClaims()}). */
  record Caller(String subject, String clientId) {}
}
