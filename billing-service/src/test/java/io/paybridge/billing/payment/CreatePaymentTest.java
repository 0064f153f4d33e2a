package io.paybridge.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a payment says about the payer (docs/psd2.md), and that a request without {@code
 * payerPresent} is the same JSON as the request was before the field existed: an Idempotency-Key
 * replay across the upgrade is still the same request (its hash is of this JSON).
 */
class CreatePaymentTest {

  /** CreatePayment's components before payerPresent. */
  record Before(
      String mandateId,
      Long amount,
      String currency,
      String chargeDate,
      String description,
      String reference,
      Boolean retryIfPossible,
      Map<String, String> metadata) {}

  private static CreatePayment payment(Boolean payerPresent) {
    return new CreatePayment(
        "MD123", 1500L, "GBP", null, "Plan", null, null, Map.of("k", "v"), payerPresent);
  }

  @Test
  void aPaymentIsOffSessionUnlessThePayerIsPresent() {
    assertThat(payment(null).psuInteractionType()).isEqualTo("off_session");
    assertThat(payment(false).psuInteractionType()).isEqualTo("off_session");
    assertThat(payment(true).psuInteractionType()).isEqualTo("in_session");
  }

  @Test
  void aRequestWithoutPayerPresentIsTheJsonItWasBefore() {
    var mapper = JsonMapper.builder().build();
    var before = new Before("MD123", 1500L, "GBP", null, "Plan", null, null, Map.of("k", "v"));
    assertThat(mapper.writeValueAsString(payment(null)))
        .isEqualTo(mapper.writeValueAsString(before));
    assertThat(mapper.writeValueAsString(payment(true))).contains("\"payerPresent\":true");
  }
}
