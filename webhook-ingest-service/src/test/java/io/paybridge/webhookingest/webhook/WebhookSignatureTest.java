package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.EXAMPLE_APP_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.JAVA_VECTOR_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.example;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** GoCardless's published signature vectors (API.md §5.5), byte-exact bodies. */
class WebhookSignatureTest {

  private static final byte[] JAVA_VECTOR = example("01_webhook_java_test_vector.json");
  private static final byte[] EXAMPLE_APP = example("02_webhook_java_example_app_vector.json");
  private static final byte[] PARTNER = example("03_webhook_partner_multi_event.json");

  @Test
  void acceptsEachReferenceVectorUnderItsSecret() {
    assertThat(
            new WebhookSignature(List.of(JAVA_VECTOR_SECRET))
                .isValid(
                    JAVA_VECTOR,
                    "2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e"))
        .isTrue();
    assertThat(
            new WebhookSignature(List.of(EXAMPLE_APP_SECRET))
                .isValid(
                    EXAMPLE_APP,
                    "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb670"))
        .isTrue();
    assertThat(
            new WebhookSignature(List.of(SIMULATOR_SECRET))
                .isValid(
                    PARTNER, "e3cba7fadd6f301f4833b11ab4e6fe5fe3dc739f6c4c7a8e59fffde10cb0032d"))
        .isTrue();
  }

  @Test
  void acceptsADeliverySignedWithAnyActiveSecretDuringRotation() {
    var rotating = new WebhookSignature(List.of("the-new-secret", EXAMPLE_APP_SECRET));
    assertThat(
            rotating.isValid(
                EXAMPLE_APP, "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb670"))
        .isTrue();
    assertThat(rotating.isValid(EXAMPLE_APP, WebhookSignature.sign("the-new-secret", EXAMPLE_APP)))
        .isTrue();
  }

  @Test
  void refusesTamperedMissingOrForeignSignatures() {
    var signature = new WebhookSignature(List.of(EXAMPLE_APP_SECRET));
    String valid = "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb670";
    assertThat(signature.isValid(EXAMPLE_APP, valid.substring(0, 63) + "1")).isFalse();
    assertThat(signature.isValid(EXAMPLE_APP, valid.toUpperCase())).isFalse();
    assertThat(signature.isValid(EXAMPLE_APP, null)).isFalse();
    assertThat(signature.isValid(EXAMPLE_APP, "")).isFalse();
    assertThat(signature.isValid(EXAMPLE_APP, "dummy")).isFalse();
    assertThat(signature.isValid(EXAMPLE_APP, WebhookSignature.sign("foo", EXAMPLE_APP))).isFalse();
    byte[] reformatted = (new String(EXAMPLE_APP) + "\n").getBytes();
    assertThat(signature.isValid(reformatted, valid)).as("one byte more").isFalse();
    assertThat(new WebhookSignature(List.of()).isValid(EXAMPLE_APP, valid)).isFalse();
  }

  @Test
  void oneCheckerServesManyDeliveriesAtOnce() throws Exception {
    // The service checks every delivery with one instance from many request threads at once; an
    // HMAC state shared between them would mix bodies and fail genuine deliveries (or pass
    // forged ones). A vector's published signature on its body, on another body, and a forged one.
    var signature = new WebhookSignature(List.of(EXAMPLE_APP_SECRET));
    String valid = "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb670";
    String forged = WebhookSignature.sign("foo", EXAMPLE_APP);
    Callable<Integer> checks =
        () -> {
          int wrong = 0;
          for (int i = 0; i < 5_000; i++) {
            wrong += signature.isValid(EXAMPLE_APP, valid) ? 0 : 1;
            wrong += signature.isValid(JAVA_VECTOR, valid) ? 1 : 0;
            wrong += signature.isValid(EXAMPLE_APP, forged) ? 1 : 0;
          }
          return wrong;
        };
    try (var threads = Executors.newFixedThreadPool(8)) {
      var results = new ArrayList<Future<Integer>>();
      for (int t = 0; t < 8; t++) {
        results.add(threads.submit(checks));
      }
      for (var result : results) {
        assertThat(result.get()).as("wrong answers of one thread").isZero();
      }
    }
  }
}
