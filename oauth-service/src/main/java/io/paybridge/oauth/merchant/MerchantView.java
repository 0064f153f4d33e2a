package io.paybridge.oauth.merchant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A merchant as its team sees it.
 *
 * @param verificationUrl where to send the merchant while {@code verificationStatus} is {@code
 *     action_required}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Merchant")
public record MerchantView(
    String id,
    MerchantStatus status,
    String organisationId,
    String creditorId,
    @Schema(allowableValues = {"action_required", "in_review", "successful"})
        String verificationStatus,
    String verificationUrl,
    String failureReason,
    String disconnectReason,
    Instant createdAt,
    Instant connectedAt,
    Instant disconnectedAt,
    Instant connectionExpiresAt) {

  static final String ACTION_REQUIRED = "action_required";

  static MerchantView of(Merchant m, String verificationUrl) {
    boolean connected = m.status() == MerchantStatus.CONNECTED;
    return new MerchantView(
        m.id(),
        m.status(),
        m.organisationId(),
        m.creditorId(),
        m.verificationStatus(),
        connected && ACTION_REQUIRED.equals(m.verificationStatus()) ? verificationUrl : null,
        m.failureReason(),
        m.disconnectReason(),
        m.createdAt(),
        m.connectedAt(),
        m.disconnectedAt(),
        m.status() == MerchantStatus.PENDING ? m.stateExpiresAt() : null);
  }
}
