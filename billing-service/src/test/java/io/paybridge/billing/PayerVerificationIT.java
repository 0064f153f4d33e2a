package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each {@code verify} level (docs/gocardless/API.md §3.9): the level asked is on the billing
 * request; the mandate shows whether GoCardless verified the payer ({@code verifiedAt}), which it
 * does through a bank authorisation for {@code when_available} and {@code always}; {@code always}
 * where the scheme has no way to verify is refused.
 */
class PayerVerificationIT extends BillingIntegrationTest {

  @Test
  void theVerifyLevelDecidesWhetherThePayerIsVerified() {
    var merchant = connectNewMerchant("team-v", "Team V Verified");
    assertThat(verifiedAtOfMandate(merchant, "minimum")).isNull();
    assertThat(verifiedAtOfMandate(merchant, "when_available")).isNotNull();
    assertThat(verifiedAtOfMandate(merchant, "always")).isNotNull();
  }

  @Test
  void alwaysIsRefusedWhereTheSchemeCannotVerify() {
    var merchant = connectNewMerchant("team-v", "Team V Down Under");
    var refused =
        postWithKey(
            merchant.team(),
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s","mandateRequest":{"scheme":"becs","currency":"AUD","verify":"always"}}
            """
                .formatted(merchant.merchantId()));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/gocardless-validation-failed");
    assertThat(refused.json().get("errors").valueStream().map(e -> e.path("field").asString()))
        .anyMatch(field -> field.contains("verify"));
  }

  private String verifiedAtOfMandate(Connected merchant, String verify) {
    String team = merchant.team();
    var created =
        postWithKey(
            team,
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s","mandateRequest":{"scheme":"bacs","currency":"GBP","verify":"%s"}}
            """
                .formatted(merchant.merchantId(), verify));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("mandateRequest").path("verify").asString()).isEqualTo(verify);
    String billingRequestId = created.json().get("id").asString();
    completeBillingRequest(team, billingRequestId, "Vera");
    deliverEventsOf(merchant.organisation());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> !get(team, "/billing-requests/" + billingRequestId).path("mandateId").isNull());
    String mandateId =
        get(team, "/billing-requests/" + billingRequestId).path("mandateId").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(team, "/mandates/" + mandateId).has("id"));
    var verifiedAt = get(team, "/mandates/" + mandateId).path("verifiedAt");
    return verifiedAt.isNull() ? null : verifiedAt.asString();
  }
}
