package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks specification's own example (shared/design/STANDARD-WEBHOOKS.md). */
class WebhookSignatureTest {

  private static final byte[] KEY = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void reproducesTheSpecificationsVector() {
    assertThat(
            WebhookSignature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY, List.of(KEY)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsWithEveryKeyDuringARotation() {
    byte[] other = new byte[24];
    String both =
        WebhookSignature.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY, List.of(other, KEY));
    assertThat(both.split(" ")).hasSize(2);
    assertThat(both).endsWith(" v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }
}
