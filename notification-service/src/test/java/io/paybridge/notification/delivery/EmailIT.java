package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.platform.events.Topics;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The facts a person must act on reach the team's email endpoints, through a real SMTP server. */
class EmailIT extends NotificationHarness {

  @Test
  void actionableFactsAreEmailedInTextAndHtmlAndOthersAreNot() throws Exception {
    String team = newTeam();
    String address = "payments-" + team + "@example.test";
    String endpointId =
        createEmail(team, address, "billing.*", "merchants.connection")
            .get("endpoint")
            .get("id")
            .asString();
    String merchant = "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10";
    // Retried by GoCardless: nobody needs to act.
    publish(
        Topics.BILLING_PAYMENT,
        "PM10",
        "PaymentFailed",
        team,
        toJson(
            Map.of(
                "paymentId",
                "PM10",
                "merchantId",
                merchant,
                "team",
                team,
                "amount",
                999,
                "currency",
                "GBP",
                "willAttemptRetry",
                true)));
    publish(
        Topics.BILLING_PAYMENT,
        "PM11",
        "PaymentFailed",
        team,
        toJson(
            Map.of(
                "paymentId", "PM11",
                "merchantId", merchant,
                "team", team,
                "amount", 1250,
                "currency", "GBP",
                "cause", "insufficient_funds",
                "reasonCode", "ADDACS-1",
                "description", "Insufficient funds <script>",
                "willAttemptRetry", false,
                "occurredAt", "2026-03-02T10:15:47.578Z")));
    publish(
        Topics.MERCHANTS_CONNECTION,
        merchant,
        "MerchantVerificationChanged",
        team,
        toJson(
            Map.of(
                "merchantId", merchant,
                "team", team,
                "organisationId", "OR00004YQ27G22",
                "previousVerificationStatus", "in_review",
                "verificationStatus", "action_required",
                "verificationUrl", "https://verify-sandbox.gocardless.com/x")));
    // The marker, on the same partition as the payments: sent after them.
    publish(
        Topics.BILLING_PAYMENT,
        "PM10",
        "MandateCancelled",
        team,
        toJson(
            Map.of(
                "mandateId",
                "MD1",
                "merchantId",
                merchant,
                "team",
                team,
                "cause",
                "bank_account_closed")));

    smtp.await(
        m -> to(m).equals(address) && subject(m).startsWith("Mandate"), Duration.ofSeconds(20));
    smtp.await(
        m -> to(m).equals(address) && subject(m).startsWith("Merchant"), Duration.ofSeconds(20));
    smtp.await(
        m -> to(m).equals(address) && subject(m).startsWith("Payment"), Duration.ofSeconds(20));
    // Every fact was handled before the marker; its delivery is one of these three, all finished.
    assertThat(awaitFinished(team, endpointId, 3, Duration.ofSeconds(10))).hasSize(3);
    var all = smtp.received().stream().filter(m -> to(m).equals(address)).toList();
    assertThat(all)
        .extracting(EmailIT::subject)
        .containsExactlyInAnyOrder(
            "Payment PM11 failed and will not be retried",
            "Mandate MD1 was cancelled",
            "Merchant " + merchant + " must act to be verified");
    MimeMessage failed =
        all.stream().filter(m -> subject(m).startsWith("Payment")).findFirst().orElseThrow();
    String content = content(failed);
    assertThat(content).contains("Amount:      12.50 GBP").contains("<td>12.50 GBP</td>");
    assertThat(content)
        .contains("Insufficient funds <script>")
        .contains("Insufficient funds &lt;script&gt;");
    MimeMessage verification =
        all.stream().filter(m -> subject(m).startsWith("Merchant")).findFirst().orElseThrow();
    assertThat(content(verification)).contains("https://verify-sandbox.gocardless.com/x");
  }

  static String content(MimeMessage message) throws Exception {
    var out = new StringBuilder();
    append(message.getContent(), out);
    return out.toString();
  }

  private static void append(Object content, StringBuilder out) throws Exception {
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart part = multipart.getBodyPart(i);
        append(part.getContent(), out);
      }
    } else {
      out.append(content).append('\n');
    }
  }

  static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String to(MimeMessage message) {
    try {
      return message.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
