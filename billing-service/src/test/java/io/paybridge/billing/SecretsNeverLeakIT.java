package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.logging.TraceLogCapture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * A merchant's GoCardless access token and billing-service's own client secret reach no log at
 * TRACE, no response, no {@code billing.*} record and no table, across a team's whole journey: a
 * billing request paid on the hosted page, the mandate, a payment collected and paid out, a refund,
 * a cancelled payment and a call GoCardless refuses.
 */
class SecretsNeverLeakIT extends BillingIntegrationTest {

  @Value("${spring.security.oauth2.client.registration.oauth-service.client-secret}")
  String clientSecret;

  @Test
  void noMerchantTokenOrClientSecretReachesALogAResponseATopicOrATable() {
    var responses = new ArrayList<String>();
    List<KafkaTestConsumer.Received> records;
    List<String> logged;
    try (var facts = KafkaTestConsumer.fromNow(BillingFact.topics().toArray(String[]::new));
        var log = TraceLogCapture.start(Path.of("target", "billing-secrets-trace.log"))) {
      var merchant = connectNewMerchant("team-leak", "Leak Check Ltd");
      String team = merchant.team();
      var created =
          postWithKey(
              team,
              "/billing-requests",
              UUID.randomUUID().toString(),
              """
              {"merchantId":"%s","paymentRequest":{"amount":2500,"currency":"GBP","description":"Plan"},
               "mandateRequest":{"scheme":"bacs","currency":"GBP"}}
              """
                  .formatted(merchant.merchantId()));
      responses.add(created.body());
      String billingRequestId = created.json().get("id").asString();
      completeBillingRequest(team, billingRequestId, "Ada");
      deliverEventsOf(merchant.organisation());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/billing-requests/" + billingRequestId).equals("fulfilled"));
      var request = get(team, "/billing-requests/" + billingRequestId);
      responses.add(request.toString());
      String mandateId = request.path("mandateId").asString();

      var payment =
          postWithKey(
              team,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":1200,\"currency\":\"GBP\"}".formatted(mandateId));
      responses.add(payment.body());
      String paymentId = payment.json().get("id").asString();
      var cancelled =
          postWithKey(
              team,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":300,\"currency\":\"GBP\"}".formatted(mandateId));
      responses.add(cancelled.body());
      responses.add(
          post(team, "/payments/" + cancelled.json().get("id").asString() + "/actions/cancel", "{}")
              .body());
      advanceUntil(merchant.organisation(), "payments", paymentId, "paid_out");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/payments/" + paymentId).equals("paid_out"));
      responses.add(
          postWithKey(
                  team,
                  "/refunds",
                  UUID.randomUUID().toString(),
                  "{\"paymentId\":\"%s\",\"amount\":500,\"reference\":\"sorry\"}"
                      .formatted(paymentId))
              .body());
      // GoCardless refuses: a second retry of a paid-out payment.
      responses.add(post(team, "/payments/" + paymentId + "/actions/retry", "{}").body());
      responses.add(
          Http.get(url("/payments?merchantId=" + merchant.merchantId()), writer(team)).body());
      responses.add(Http.get(url("/mandates/" + mandateId), writer(team)).body());

      facts.awaitCount(r -> paymentId.equals(r.key()), 2, Duration.ofSeconds(30));
      records = facts.received();
      log.close();
      try (var lines = log.lines()) {
        logged = lines.toList();
      }
      var secrets = forms(merchant.organisation().accessToken(), clientSecret);
      assertThat(logged).anyMatch(l -> l.startsWith("TRACE "));
      assertThat(logged)
          .as("the calls to GoCardless are in the log")
          .anyMatch(l -> l.contains(billingRequestId));
      assertThat(found(logged.stream(), secrets)).as("secrets in the log at TRACE").isEmpty();
      assertThat(found(responses.stream(), secrets)).as("secrets in responses").isEmpty();
      assertThat(records).isNotEmpty();
      assertThat(found(records.stream().map(r -> r.headers() + " " + r.value()), secrets))
          .as("secrets on billing topics")
          .isEmpty();
      var rows = new ArrayList<String>();
      for (String table :
          jdbc.queryForList(
              """
              select quote_ident(table_name) from information_schema.tables
              where table_type = 'BASE TABLE' and table_schema = current_schema()
              """,
              String.class)) {
        rows.addAll(jdbc.queryForList("select t::text from " + table + " t", String.class));
      }
      assertThat(rows).isNotEmpty();
      assertThat(found(rows.stream(), secrets)).as("secrets in the database").isEmpty();
    }
  }

  /** Each secret as it is, URL-encoded, in Base64 and in hex. */
  private static List<String> forms(String... secrets) {
    var forms = new ArrayList<String>();
    for (String secret : secrets) {
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      forms.add(secret);
      forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
      forms.add(HexFormat.of().formatHex(bytes));
    }
    return forms;
  }

  private static List<String> found(Stream<String> text, List<String> forms) {
    return text.filter(line -> forms.stream().anyMatch(line::contains)).limit(5).toList();
  }
}
