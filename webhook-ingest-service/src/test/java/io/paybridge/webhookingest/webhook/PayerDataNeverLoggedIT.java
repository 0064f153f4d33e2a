package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.logging.TraceLogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A webhook whose event carries personal data in the metadata a merchant set (GoCardless copies a
 * resource's metadata into {@code resource_metadata}) is stored and published, and with every
 * logger at TRACE none of it reaches webhook-ingest's log: the body is kept in the database
 * (docs/data-protection.md), never logged.
 */
@IntegrationTest
class PayerDataNeverLoggedIT {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  @Test
  void metadataWithAPayersDetailsIsStoredAndNotLogged() {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String eventId = "EV" + run;
    List<String> payerData =
        List.of("Quillon Marchbanks", "quillon.marchbanks@example.com", "9 Larkspur Mews");
    String body =
        "{\"events\":[{\"id\":\""
            + eventId
            + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
            + "\"action\":\"confirmed\",\"links\":{\"payment\":\"PM"
            + run
            + "\"},\"details\":{\"origin\":\"gocardless\",\"cause\":\"payment_confirmed\"},"
            + "\"metadata\":{},\"resource_metadata\":{\"payer\":\"Quillon Marchbanks\","
            + "\"email\":\"quillon.marchbanks@example.com\",\"address\":\"9 Larkspur Mews\"}}],"
            + "\"meta\":{\"webhook_id\":\"WB"
            + run
            + "\"}}";
    List<String> logged;
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS);
        var log = TraceLogCapture.start(Path.of("target", "webhook-payer-data-trace.log"))) {
      var answer =
          new WebhookClient(port)
              .postSigned(body.getBytes(StandardCharsets.UTF_8), SIMULATOR_SECRET);
      assertThat(answer.statusCode()).isEqualTo(204);
      // Until the relay has published it: the whole path to Kafka ran at TRACE.
      kafka.await(r -> ("PM" + run).equals(r.key()));
      log.close();
      try (var lines = log.lines()) {
        logged = lines.toList();
      }
    }
    assertThat(
            jdbc.queryForObject(
                "select payload::text from gocardless_event where event_id = ?",
                String.class,
                eventId))
        .as("stored as sent")
        .contains(payerData);
    assertThat(logged).anyMatch(l -> l.startsWith("TRACE "));
    assertThat(logged.stream().filter(l -> payerData.stream().anyMatch(l::contains)).limit(5))
        .as("payer data in webhook-ingest's log at TRACE")
        .isEmpty();
  }
}
