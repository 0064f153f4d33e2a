package io.paybridge.oauth.vault;

import io.paybridge.oauth.web.ApiProblem;
import io.paybridge.oauth.web.ProblemException;
import io.paybridge.platform.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The one way out of the vault: services that call GoCardless on a merchant's behalf obtain the
 * merchant's token here, with a service JWT carrying the token scope. Every call is audited.
 */
@RestController
@Tag(name = "internal", description = "For platform services only (service scope required)")
class TokenAccessController {

  private final TokenVault vault;
  private final TokenAccessAudit audit;
  private final TransactionTemplate transactions;

  TokenAccessController(
      TokenVault vault, TokenAccessAudit audit, TransactionTemplate transactions) {
    this.vault = vault;
    this.audit = audit;
    this.transactions = transactions;
  }

  @GetMapping("/internal/merchants/{merchantId}/access-token")
  @Operation(
      summary = "A connected merchant's GoCardless access token",
      description =
          "Requires a service token with the configured token scope. Answers 404 unless the"
              + " merchant is connected, 503 token-key-unavailable if this instance lacks the key"
              + " of the stored token (another instance may hold it). Every call is recorded in"
              + " the audit trail.",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<AccessTokenResponse> accessToken(
      @PathVariable String merchantId,
      @AuthenticationPrincipal Jwt caller,
      HttpServletRequest request) {
    var who = audit.caller(caller);
    String requestId = RequestIds.of(request);
    // The audit row commits with the read: no token leaves without its record.
    Optional<TokenVault.MerchantToken> token;
    try {
      token =
          transactions.execute(
              status -> {
                var found = vault.reveal(merchantId);
                audit.record(
                    merchantId,
                    who,
                    found.isPresent() ? TokenAccessAudit.GRANTED : TokenAccessAudit.NOT_CONNECTED,
                    requestId);
                return found;
              });
    } catch (TokenKeyUnavailableException e) {
      audit.record(merchantId, who, TokenAccessAudit.KEY_UNAVAILABLE, requestId);
      throw e;
    }
    if (token == null || token.isEmpty()) {
      throw new ProblemException(
          ApiProblem.MERCHANT_NOT_CONNECTED, "No connected merchant " + merchantId);
    }
    var found = token.get();
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(
            new AccessTokenResponse(
                found.merchantId(), found.organisationId(), found.accessToken(), "bearer"));
  }

  /** The token of a connected merchant. */
  record AccessTokenResponse(
      String merchantId, String organisationId, String accessToken, String tokenType) {
    @Override
    public String toString() {
      return "AccessTokenResponse[merchantId=" + merchantId + "]";
    }
  }
}
