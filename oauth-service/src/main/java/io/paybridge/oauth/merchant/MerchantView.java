package io.paybridge.oauth.merchant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A merchant as its team sees it.
 *
 * @param verificationUrl where to send the merchant while {@code verificationStatus} is {@code
 *     action_required}
 * @param review present when what GoCardless returned differed from what the team expected: the
 *     connection was (or is, while {@code needs_review}) held for the team's decision
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
    Instant connectionExpiresAt,
    Review review) {

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
        m.status() == MerchantStatus.PENDING ? m.stateExpiresAt() : null,
        Review.of(m));
  }

  /**
   * Why a connection was held, and who decided on it.
   *
   * @param mismatches what the team expected and what GoCardless returned, for each field that
   *     differed (the organisation's email is shown to the team that gave the expected one)
   * @param reviewedBy the team member (JWT subject) who confirmed or rejected it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "MerchantReview")
  public record Review(List<Mismatch> mismatches, String reviewedBy, Instant reviewedAt) {

    static Review of(Merchant m) {
      if (m.reviewMismatches().isEmpty()) {
        return null;
      }
      var mismatches =
          m.reviewMismatches().stream()
              .map(
                  field ->
                      switch (field) {
                        case MerchantExpectations.EMAIL ->
                            new Mismatch("email", m.expected().email(), m.receivedEmail());
                        case MerchantExpectations.COMPANY_NAME ->
                            new Mismatch(
                                "companyName", m.expected().companyName(), m.receivedCompanyName());
                        default -> new Mismatch(field, null, null);
                      })
              .toList();
      return new Review(mismatches, m.reviewedBy(), m.reviewedAt());
    }
  }

  /**
   * @param field {@code companyName} (compared with the creditor's name) or {@code email} (compared
   *     with the email GoCardless gives for the approving user)
   * @param received null when GoCardless gave none
   */
  @Schema(name = "MerchantReviewMismatch")
  public record Mismatch(
      @Schema(allowableValues = {"companyName", "email"}) String field,
      String expected,
      String received) {

    /** The values may be personal data (an email): kept out of logs. */
    @Override
    public String toString() {
      return "Mismatch[field=" + field + "]";
    }
  }
}
