package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The AsyncAPI document in docs/ is the contract of the gocardless.* topics: every record the
 * service produces for the reference webhooks (and an unknown resource type) has a channel in it,
 * and headers and payload that its schemas accept.
 */
@IntegrationTest
class AsyncApiContractIT {

  private static final Path ASYNCAPI = Path.of("../docs/asyncapi.yaml");
  private static final Pattern EVENT_ID = Pattern.compile("\"(EV[0-9A-Z]+)\"");
  private static final Pattern ORGANISATION_ID = Pattern.compile("\"(OR[0-9A-Z]+)\"");

  @LocalServerPort int port;

  @Test
  void everyProducedRecordMatchesTheAsyncApiDocument() throws Exception {
    var contract = AsyncApiContract.load(ASYNCAPI);
    assertThat(contract.addresses()).containsAll(Topics.gocardlessTopics());

    var client = new WebhookClient(port);
    Set<String> sentIds = new HashSet<>();
    Set<String> organisations = new HashSet<>();
    try (var kafka = KafkaTestConsumer.fromNow(Topics.gocardlessTopics().toArray(String[]::new))) {
      for (String file :
          new String[] {
            "01_webhook_java_test_vector.json",
            "02_webhook_java_example_app_vector.json",
            "03_webhook_partner_multi_event.json",
            "04_webhook_organisation_disconnected.json",
            "05_webhook_payment_failed.json"
          }) {
        String body =
            freshIds(new String(example(file), StandardCharsets.UTF_8), sentIds, organisations);
        assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).as(file).isEqualTo(204);
      }
      String unknownType = "EV" + random(12);
      sentIds.add(unknownType);
      assertThat(
              client
                  .postSigned(
                      "{\"events\":[{\"id\":\""
                          + unknownType
                          + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\","
                          + "\"resource_type\":\"exports\",\"action\":\"completed\",\"links\":{\"export\":\"EX1\"},"
                          + "\"details\":{\"origin\":\"gocardless\",\"cause\":\"export_completed\"},\"metadata\":{}}]}",
                      SIMULATOR_SECRET)
                  .statusCode())
          .isEqualTo(204);

      int expected = sentIds.size() + 1; // + the null-id disconnect event of example 04
      var records =
          kafka.awaitCount(
              r -> sentIds.contains(r.header(EventHeaders.ID)) || organisations.contains(r.key()),
              expected,
              Duration.ofSeconds(60));
      assertThat(records).hasSize(expected);

      for (var record : records) {
        assertThat(contract.violations(record)).as("%s", record).isEmpty();
        assertThat(record.key()).as("key of %s", record).isNotBlank();
      }
      // the disconnect example's, published under a synthetic id the document accepts
      assertThat(records)
          .filteredOn(r -> r.header(EventHeaders.ID).startsWith("synthetic-"))
          .hasSize(1);
    }
  }

  /** The example with new event and organisation ids, so that this run's events are new ones. */
  private static String freshIds(String body, Set<String> eventIds, Set<String> organisationIds) {
    body = replaceAll(body, EVENT_ID, eventIds, "EV");
    return replaceAll(body, ORGANISATION_ID, organisationIds, "OR");
  }

  private static String replaceAll(
      String body, Pattern pattern, Set<String> collected, String prefix) {
    Map<String, String> replacements = new HashMap<>();
    Matcher matcher = pattern.matcher(body);
    var result = new StringBuilder();
    while (matcher.find()) {
      String fresh = replacements.computeIfAbsent(matcher.group(1), old -> prefix + random(12));
      collected.add(fresh);
      matcher.appendReplacement(result, "\"" + fresh + "\"");
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static String random(int length) {
    return UUID.randomUUID().toString().replace("-", "").substring(0, length).toUpperCase();
  }
}
