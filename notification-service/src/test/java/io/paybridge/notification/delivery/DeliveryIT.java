package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.notification.support.StandardWebhooksVerifier;
import io.paybridge.notification.support.WebhookReceiver;
import io.paybridge.notification.support.WebhookReceiver.Reply;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Facts on Kafka → signed deliveries to real HTTP receivers that verify them as the Standard
 * Webhooks libraries do; retries, timeouts, redirects, 410, rotation, duplicates.
 */
class DeliveryIT extends NotificationHarness {

  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));

  private static String paymentFailed(String team, String paymentId, boolean retry) {
    return toJson(
        java.util.Map.of(
            "paymentId", paymentId,
            "merchantId", "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10",
            "team", team,
            "amount", 1250,
            "currency", "GBP",
            "cause", "insufficient_funds",
            "reasonCode", "ADDACS-1",
            "description", "The payer's account had insufficient funds",
            "willAttemptRetry", retry,
            "occurredAt", "2026-03-02T10:15:47.578Z"));
  }

  @Test
  void aFactReachesTheMatchingEndpointsSignedAndTheOutcomeIsPublished() throws Exception {
    String team = newTeam();
    try (var billing = WebhookReceiver.start();
        var merchants = WebhookReceiver.start();
        var kafka = KafkaTestConsumer.fromNow(Topics.NOTIFICATIONS_DELIVERY)) {
      JsonNode wildcard = createWebhook(team, billing.url("/hooks"), "billing.*");
      JsonNode topic = createWebhook(team, merchants.url("/hooks"), "merchants.connection");
      String secret = wildcard.get("secret").asString();
      assertThat(secret).startsWith("whsec_");
      String json = paymentFailed(team, "PM0001", true);
      String factId = publish(Topics.BILLING_PAYMENT, "PM0001", "PaymentFailed", team, json);

      var request = billing.await(r -> true, 1, Duration.ofSeconds(20)).getFirst();
      assertThat(StandardWebhooksVerifier.verifies(secret, request.headers(), request.bytes()))
          .isTrue();
      assertThat(
              StandardWebhooksVerifier.verifies(
                  topic.get("secret").asString(), request.headers(), request.bytes()))
          .as("another endpoint's secret")
          .isFalse();
      JsonNode body = Http.json(request.body());
      assertThat(body.get("type").asString()).isEqualTo("PaymentFailed");
      assertThat(body.get("data")).isEqualTo(Http.json(json));
      assertThat(body.get("timestamp").asString()).isNotBlank();
      assertThat(request.header("content-type")).startsWith("application/json");

      String endpointId = wildcard.get("endpoint").get("id").asString();
      JsonNode delivery = awaitFinished(team, endpointId, 1, Duration.ofSeconds(10)).get(0);
      assertThat(delivery.get("status").asString()).isEqualTo("succeeded");
      assertThat(delivery.get("webhookId").asString()).isEqualTo(request.header("webhook-id"));
      assertThat(delivery.get("factId").asString()).isEqualTo(factId);
      JsonNode log = delivery(team, delivery.get("id").asString()).get("attemptLog");
      assertThat(log).hasSize(1);
      assertThat(log.get(0).get("statusCode").asInt()).isEqualTo(204);

      var fact =
          kafka.await(
              r ->
                  endpointId.equals(r.key())
                      && "DeliverySucceeded".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(fact.header(EventHeaders.TENANT)).isEqualTo(team);
      assertThat(CONTRACT.violations(fact)).as(fact.value()).isEmpty();
      assertThat(Http.json(fact.value()).get("deliveryId").asString())
          .isEqualTo(delivery.get("id").asString());
      // The merchants.connection endpoint did not want a billing fact.
      assertThat(deliveries(team, topic.get("endpoint").get("id").asString())).isEmpty();
    }
  }

  @Test
  void duplicatedAndShuffledFactsAreDeliveredOnceEach() {
    String team = newTeam();
    try (var receiver = WebhookReceiver.start()) {
      String endpointId =
          createWebhook(team, receiver.url("/hooks"), "MandateActive", "MerchantDisconnected")
              .get("endpoint")
              .get("id")
              .asString();
      var ids = IntStream.range(0, 15).mapToObj(i -> "fact-" + team + "-" + i).toList();
      var sends = new ArrayList<String>();
      for (int i = 0; i < ids.size(); i++) {
        sends.add(ids.get(i));
        sends.add(ids.get(i));
        if (i % 3 == 0) {
          sends.add(ids.get(i));
        }
      }
      Collections.shuffle(sends, new Random(42));
      for (String id : sends) {
        publish(
            Topics.BILLING_MANDATE,
            "MD-" + team,
            id,
            "MandateActive",
            team,
            "{\"mandateId\":\"" + id + "\"}");
      }
      // The marker, on the same partition after them: once its delivery exists, every fact
      // before it was handled.
      String marker =
          publish(
              Topics.BILLING_MANDATE,
              "MD-" + team,
              "marker-" + team,
              "MerchantDisconnected",
              team,
              "{}");

      JsonNode finished = awaitFinished(team, endpointId, ids.size() + 1, Duration.ofSeconds(30));
      assertThat(finished).hasSize(ids.size() + 1);
      var received = receiver.requests();
      assertThat(received).hasSize(ids.size() + 1);
      assertThat(received.stream().map(r -> r.header("webhook-id")).distinct())
          .hasSize(ids.size() + 1);
      assertThat(
              received.stream()
                  .map(r -> Http.json(r.body()).get("data"))
                  .filter(d -> d.has("mandateId"))
                  .map(d -> d.get("mandateId").asString()))
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(received).anyMatch(r -> r.body().contains("MerchantDisconnected"));
      assertThat(marker).isNotNull();
    }
  }

  @Test
  void failedAttemptsAreRetriedUnderTheSameWebhookIdWithFreshSignatures() {
    String team = newTeam();
    try (var receiver =
        WebhookReceiver.start().replying(n -> n <= 2 ? Reply.status(500) : Reply.status(200))) {
      JsonNode created = createWebhook(team, receiver.url("/flaky"), "*");
      String secret = created.get("secret").asString();
      publish(Topics.BILLING_PAYMENT, "PM2", "PaymentConfirmed", team, "{\"paymentId\":\"PM2\"}");

      var requests = receiver.await(r -> true, 3, Duration.ofSeconds(20));
      assertThat(requests).hasSize(3);
      assertThat(requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
      assertThat(requests.stream().map(r -> r.body()).distinct()).hasSize(1);
      assertThat(requests)
          .allMatch(r -> StandardWebhooksVerifier.verifies(secret, r.headers(), r.bytes()));
      JsonNode delivery =
          awaitFinished(
                  team, created.get("endpoint").get("id").asString(), 1, Duration.ofSeconds(10))
              .get(0);
      JsonNode log = delivery(team, delivery.get("id").asString()).get("attemptLog");
      assertThat(log)
          .extracting(a -> a.get("outcome").asString() + " " + a.get("statusCode").asInt())
          .containsExactly("http_error 500", "http_error 500", "succeeded 200");
      assertThat(log.get(0).get("responseExcerpt").asString()).contains("received");
    }
  }

  @Test
  void redirectsAreNotFollowedAndSlowReceiversTimeOut() {
    String team = newTeam();
    try (var target = WebhookReceiver.start();
        var redirecting =
            WebhookReceiver.start()
                .replying(n -> new Reply(302, Duration.ZERO, target.url("/elsewhere")));
        var slow =
            WebhookReceiver.start()
                .replying(
                    n -> n == 1 ? new Reply(200, Duration.ofSeconds(4), null) : Reply.status(200));
        var kafka = KafkaTestConsumer.fromNow(Topics.NOTIFICATIONS_DELIVERY)) {
      String redirectId =
          createWebhook(team, redirecting.url("/hooks"), "*").get("endpoint").get("id").asString();
      String slowId =
          createWebhook(team, slow.url("/hooks"), "*").get("endpoint").get("id").asString();
      publish(Topics.BILLING_PAYMENT, "PM3", "PaymentConfirmed", team, "{\"paymentId\":\"PM3\"}");

      JsonNode redirected = awaitFinished(team, redirectId, 1, Duration.ofSeconds(20)).get(0);
      assertThat(redirected.get("status").asString()).isEqualTo("dead");
      assertThat(redirecting.requests())
          .hasSize(4); // the first attempt and the schedule's 3 retries
      assertThat(target.requests()).isEmpty();
      var failed =
          kafka.await(
              r ->
                  redirectId.equals(r.key())
                      && "DeliveryFailed".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(Http.json(failed.value()).get("lastOutcome").asString()).isEqualTo("redirect");
      assertThat(CONTRACT.violations(failed)).as(failed.value()).isEmpty();

      JsonNode slowDelivery = awaitFinished(team, slowId, 1, Duration.ofSeconds(20)).get(0);
      JsonNode log = delivery(team, slowDelivery.get("id").asString()).get("attemptLog");
      assertThat(log)
          .extracting(a -> a.get("outcome").asString())
          .containsExactly("timeout", "succeeded");
    }
  }

  @Test
  void anEndpointAnswering410IsDisabledAndItsTeamIsTold() throws Exception {
    String team = newTeam();
    String address = team + "@example.test";
    try (var gone = WebhookReceiver.start().replying(n -> Reply.status(410));
        var kafka = KafkaTestConsumer.fromNow(Topics.NOTIFICATIONS_DELIVERY)) {
      String endpointId =
          createWebhook(team, gone.url("/old"), "*").get("endpoint").get("id").asString();
      createEmail(team, address, "merchants.connection");
      publish(Topics.BILLING_PAYMENT, "PM4", "PaymentConfirmed", team, "{\"paymentId\":\"PM4\"}");

      var disabled =
          kafka.await(
              r ->
                  endpointId.equals(r.key())
                      && "EndpointDisabled".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(Http.json(disabled.value()).get("reason").asString()).isEqualTo("gone");
      assertThat(CONTRACT.violations(disabled)).as(disabled.value()).isEmpty();
      JsonNode endpoint =
          Http.get(url("/notifications/endpoints/" + endpointId), token(team)).json();
      assertThat(endpoint.get("enabled").asBoolean()).isFalse();
      assertThat(endpoint.get("disabledReason").asString()).isEqualTo("gone");
      assertThat(gone.requests()).hasSize(1);

      MimeMessage mail =
          smtp.await(m -> recipient(m).equals(address), Duration.ofSeconds(20)).getFirst();
      assertThat(mail.getSubject()).isEqualTo("Webhook endpoint " + endpointId + " was disabled");
      String content = EmailIT.content(mail);
      assertThat(content)
          .contains("Reason:        gone")
          .contains("<th align=\"left\">Reason</th><td>gone</td>");

      // Enabled again, it receives the facts that follow.
      gone.replying(n -> Reply.status(204));
      assertThat(
              Http.postJson(
                      url("/notifications/endpoints/" + endpointId + "/enable"), token(team), "")
                  .status())
          .isEqualTo(200);
      publish(Topics.BILLING_PAYMENT, "PM5", "PaymentConfirmed", team, "{\"paymentId\":\"PM5\"}");
      var later = gone.await(r -> r.body().contains("PM5"), 1, Duration.ofSeconds(20));
      assertThat(later).hasSize(1);
    }
  }

  @Test
  void duringARotationBothSecretsSignThenOnlyTheNewOne() {
    String team = newTeam();
    try (var receiver = WebhookReceiver.start()) {
      JsonNode created = createWebhook(team, receiver.url("/hooks"), "*");
      String endpointId = created.get("endpoint").get("id").asString();
      String first = created.get("secret").asString();
      var rotated =
          Http.postJson(
              url("/notifications/endpoints/" + endpointId + "/secret/rotate"),
              token(team),
              "{\"overlapSeconds\":3600}");
      assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
      String second = rotated.json().get("secret").asString();
      assertThat(second).startsWith("whsec_").isNotEqualTo(first);

      publish(Topics.BILLING_PAYMENT, "PM6", "PaymentConfirmed", team, "{\"paymentId\":\"PM6\"}");
      var during =
          receiver.await(r -> r.body().contains("PM6"), 1, Duration.ofSeconds(20)).getFirst();
      assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
      assertThat(StandardWebhooksVerifier.verifies(first, during.headers(), during.bytes()))
          .isTrue();
      assertThat(StandardWebhooksVerifier.verifies(second, during.headers(), during.bytes()))
          .isTrue();

      var ended =
          Http.postJson(
              url("/notifications/endpoints/" + endpointId + "/secret/rotate"),
              token(team),
              "{\"overlapSeconds\":0}");
      String third = ended.json().get("secret").asString();
      publish(Topics.BILLING_PAYMENT, "PM7", "PaymentConfirmed", team, "{\"paymentId\":\"PM7\"}");
      var after =
          receiver.await(r -> r.body().contains("PM7"), 1, Duration.ofSeconds(20)).getFirst();
      assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
      assertThat(StandardWebhooksVerifier.verifies(third, after.headers(), after.bytes())).isTrue();
      assertThat(StandardWebhooksVerifier.verifies(second, after.headers(), after.bytes()))
          .isFalse();
      assertThat(StandardWebhooksVerifier.verifies(first, after.headers(), after.bytes()))
          .isFalse();
    }
  }

  @Test
  void addressesOutsideThePublicInternetAreNeverContacted() {
    String team = newTeam();
    try (var loopback4 = WebhookReceiver.on("127.0.0.1");
        var loopback6 = WebhookReceiver.on("::1")) {
      List<String> urls =
          List.of(
              loopback4.url("/ssrf"),
              "http://localhost:" + loopback4.port() + "/ssrf",
              "http://[::ffff:127.0.0.1]:" + loopback4.port() + "/ssrf",
              loopback6.url("/ssrf"),
              "http://169.254.169.254/latest/meta-data/",
              "http://10.0.0.1/hooks",
              "http://[fd00:ec2::254]/latest/meta-data/",
              "http://100.100.100.200/");
      var endpointIds = new ArrayList<String>();
      for (String target : urls) {
        String id = createWebhook(team, target, "*").get("endpoint").get("id").asString();
        endpointIds.add(id);
        var ping = Http.postJson(url("/notifications/endpoints/" + id + "/test"), token(team), "");
        assertThat(ping.status()).as(ping.body()).isEqualTo(202);
      }
      for (int i = 0; i < endpointIds.size(); i++) {
        JsonNode delivery =
            awaitFinished(team, endpointIds.get(i), 1, Duration.ofSeconds(20)).get(0);
        JsonNode log = delivery(team, delivery.get("id").asString()).get("attemptLog");
        assertThat(log).as(urls.get(i)).isNotEmpty();
        assertThat(log)
            .as(urls.get(i))
            .allMatch(a -> a.get("outcome").asString().equals("refused_address"));
        assertThat(delivery.get("status").asString()).isEqualTo("dead");
      }
      assertThat(loopback4.requests()).isEmpty();
      assertThat(loopback6.requests()).isEmpty();
    }
  }

  @Test
  void aFactThatCannotBeReadIsDeadLetteredAndTheFactsAfterItAreDelivered() {
    String team = newTeam();
    try (var receiver = WebhookReceiver.start();
        var dlt =
            KafkaTestConsumer.fromNow(
                Topics.deadLetter(Topics.BILLING_PAYMENT, "notification-service"))) {
      String endpointId =
          createWebhook(team, receiver.url("/hooks"), "*").get("endpoint").get("id").asString();
      String key = "PM-poison-" + team;
      String poison = publish(Topics.BILLING_PAYMENT, key, "PaymentConfirmed", team, "not json");
      publish(Topics.BILLING_PAYMENT, key, "PaymentConfirmed", team, "{\"paymentId\":\"after\"}");

      var parked = dlt.await(r -> poison.equals(r.header(EventHeaders.ID)));
      assertThat(parked.value()).isEqualTo("not json");
      receiver.await(r -> r.body().contains("after"), 1, Duration.ofSeconds(20));
      assertThat(awaitFinished(team, endpointId, 1, Duration.ofSeconds(10))).hasSize(1);
      assertThat(receiver.requests()).hasSize(1);
    }
  }

  private static String recipient(MimeMessage message) {
    try {
      return message.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
