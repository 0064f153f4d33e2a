package io.paybridge.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.notification.support.WebhookReceiver;
import io.paybridge.notification.support.WebhookReceiver.Reply;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.logging.TraceLogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A signing secret is shown in the answer that creates it (creation, rotation) and nowhere else:
 * not in a log at TRACE, another response, a topic, or a table in clear.
 */
class SecretsNeverLeakIT extends NotificationHarness {

  @Test
  void noSigningSecretReachesALogAResponseATopicOrATable() {
    String team = newTeam();
    var secrets = new ArrayList<String>();
    var responses = new ArrayList<String>();
    List<KafkaTestConsumer.Received> records;
    try (var receiver =
            WebhookReceiver.start().replying(n -> n == 1 ? Reply.status(500) : Reply.status(204));
        var kafka = KafkaTestConsumer.fromNow(Topics.NOTIFICATIONS_DELIVERY);
        var log = TraceLogCapture.start(Path.of("target", "secrets-never-leak-trace.log"))) {
      var created = createWebhook(team, receiver.url("/leak"), "*");
      String id = created.get("endpoint").get("id").asString();
      secrets.add(created.get("secret").asString());
      var rotated =
          Http.postJson(
              url("/notifications/endpoints/" + id + "/secret/rotate"), token(team), "{}");
      secrets.add(rotated.json().get("secret").asString());
      var ping = Http.postJson(url("/notifications/endpoints/" + id + "/test"), token(team), "");
      responses.add(ping.body());
      publish(
          Topics.BILLING_PAYMENT,
          "PM-leak",
          "PaymentConfirmed",
          team,
          "{\"paymentId\":\"PM-leak\"}");
      receiver.await(r -> true, 3, Duration.ofSeconds(20));
      var finished = awaitFinished(team, id, 2, Duration.ofSeconds(20));
      responses.add(finished.toString());
      for (var delivery : finished) {
        responses.add(delivery(team, delivery.get("id").asString()).toString());
      }
      responses.add(Http.get(url("/notifications/endpoints/" + id), token(team)).body());
      responses.add(Http.get(url("/notifications/endpoints"), token(team)).body());
      kafka.awaitCount(r -> id.equals(r.key()), 2, Duration.ofSeconds(20));
      records = kafka.received();
      log.close();

      try (var lines = log.lines()) {
        assertThat(lines.filter(l -> l.startsWith("TRACE ")).limit(1)).isNotEmpty();
      }
      try (var lines = log.lines()) {
        assertThat(lines.filter(l -> l.contains("/secret/rotate")).limit(1)).isNotEmpty();
      }
      try (var lines = log.lines()) {
        assertThat(found(lines, secrets)).as("secrets in the log at TRACE").isEmpty();
      }
    }
    assertThat(found(responses.stream(), secrets)).as("secrets in other responses").isEmpty();
    assertThat(records).isNotEmpty();
    assertThat(found(records.stream().map(r -> r.headers() + " " + r.value()), secrets))
        .as("secrets on topics")
        .isEmpty();
    var rows = new ArrayList<String>();
    for (String table :
        List.of("endpoint", "endpoint_secret", "delivery", "delivery_attempt", "outbox_event")) {
      rows.addAll(jdbc.queryForList("select t::text from " + table + " t", String.class));
    }
    assertThat(rows).anyMatch(r -> r.contains("\\\\x")); // the ciphertexts are there, as bytea
    assertThat(found(rows.stream(), secrets)).as("secrets in the database").isEmpty();
  }

  /** Each secret in every form it could take: as shown, its Base64 key, the key in hex. */
  private static List<String> found(Stream<String> text, List<String> secrets) {
    var forms = new ArrayList<String>();
    for (String secret : secrets) {
      String key = secret.substring("whsec_".length());
      forms.add(key);
      forms.add(HexFormat.of().formatHex(Base64.getDecoder().decode(key)));
    }
    return text.filter(line -> forms.stream().anyMatch(line::contains)).limit(5).toList();
  }
}
