package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.RECEIVER;
import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.WEBHOOK_SECRET;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import com.gocardless.Webhook;
import com.gocardless.http.WebhookParseResult;
import com.gocardless.resources.Event;
import io.paybridge.simulator.webhooks.WebhookSender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhook signing, batching, retries on failure, the delivery log and manual resend. */
@ExtendWith(TestSimulator.class)
class WebhookDeliveryTest {
  private static final Path EXAMPLES = SharedDocs.examples();

  @Test
  void signsLikeGoCardless() throws Exception {
    // Test vectors of docs/gocardless/API.md §5.5 (bodies byte-exact).
    assertThat(
            WebhookSender.sign(
                "ED7D658C-D8EB-4941-948B-3973214F2D49",
                Files.readAllBytes(EXAMPLES.resolve("01_webhook_java_test_vector.json"))))
        .isEqualTo("2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e");
    assertThat(
            WebhookSender.sign(
                "local-simulator-webhook-secret",
                Files.readAllBytes(EXAMPLES.resolve("03_webhook_partner_multi_event.json"))))
        .isEqualTo("e3cba7fadd6f301f4833b11ab4e6fe5fe3dc739f6c4c7a8e59fffde10cb0032d");
  }

  @Test
  void failedDeliveriesAreRetriedThenLoggedAndCanBeResent() {
    SimulatedOrganisation org = SIM.createOrganisation("Webhooks Ltd", "action_required");
    GoCardlessClient client = client(org.accessToken());
    RECEIVER.failNextFor(org.organisationId(), 2);
    client
        .scenarioSimulators()
        .run("creditor_verification_status_successful")
        .withLinksResource(org.creditorId())
        .execute();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(SIM.webhookDeliveries())
                    .filteredOn(d -> d.organisationId().equals(org.organisationId()))
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.successful()).isTrue();
                          assertThat(d.attempts()).isEqualTo(3);
                          assertThat(d.responseCode()).isEqualTo(204);
                        }));
    WebhookDelivery delivery =
        SIM.webhookDeliveries().stream()
            .filter(d -> d.organisationId().equals(org.organisationId()))
            .findFirst()
            .orElseThrow();
    List<WebhookReceiver.Received> attempts =
        RECEIVER.received().stream().filter(r -> r.body().equals(delivery.body())).toList();
    assertThat(attempts)
        .extracting(WebhookReceiver.Received::answered)
        .containsExactly(500, 500, 204);
    assertThat(attempts)
        .extracting(WebhookReceiver.Received::signature)
        .containsOnly(delivery.signature());

    WebhookParseResult parsed =
        Webhook.parseWithMeta(delivery.body(), delivery.signature(), WEBHOOK_SECRET);
    assertThat(parsed.getWebhookId()).isEqualTo(delivery.id());
    assertThat(parsed.getEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getResourceType()).isEqualTo(Event.ResourceType.CREDITORS);
              assertThat(e.getDetails().getProperty()).isEqualTo("verification_status");
            });

    // GoCardless's own delivery log API
    com.gocardless.resources.Webhook logged = client.webhooks().get(delivery.id()).execute();
    assertThat(logged.getSuccessful()).isTrue();
    assertThat(logged.getResponseCode()).isEqualTo(204);
    assertThat(logged.getUrl()).isEqualTo(RECEIVER.url());
    assertThat(logged.getRequestBody()).isEqualTo(delivery.body());
    assertThat(logged.getRequestHeaders()).containsEntry("Webhook-Signature", delivery.signature());
    assertThat(client.webhooks().list().withSuccessful(true).execute().getItems())
        .extracting(com.gocardless.resources.Webhook::getId)
        .containsExactly(delivery.id());

    com.gocardless.resources.Webhook resent = client.webhooks().retry(delivery.id()).execute();
    assertThat(resent.getId()).isNotEqualTo(delivery.id());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(RECEIVER.received())
                    .anySatisfy(
                        r -> {
                          WebhookParseResult p =
                              Webhook.parseWithMeta(r.body(), r.signature(), WEBHOOK_SECRET);
                          assertThat(p.getWebhookId()).isEqualTo(resent.getId());
                          assertThat(p.getEvents())
                              .extracting(Event::getId)
                              .containsExactlyElementsOf(
                                  parsed.getEvents().stream().map(Event::getId).toList());
                        }));
  }

  @Test
  void anOrganisationCanHaveItsOwnEndpointAndSecret() {
    SimulatedOrganisation org = SIM.createOrganisation("Own Endpoint Ltd", "in_review");
    try (WebhookReceiver own = new WebhookReceiver("merchant-secret")) {
      SIM.configureWebhookEndpoint(org.organisationId(), own.url(), "merchant-secret");
      client(org.accessToken())
          .scenarioSimulators()
          .run("creditor_verification_status_successful")
          .withLinksResource(org.creditorId())
          .execute();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(own.events())
                      .singleElement()
                      .satisfies(
                          e -> assertThat(e.getLinks().getCreditor()).isEqualTo(org.creditorId())));
      assertThat(RECEIVER.received()).noneMatch(r -> r.body().contains(org.organisationId()));
    } finally {
      SIM.configureWebhookEndpoint(org.organisationId(), null, null);
    }
  }

  @Test
  void withoutAnEndpointWebhooksAreLoggedAsUndelivered() {
    try (GoCardlessSimulator quiet =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withTickInterval(Duration.ZERO)
                .withWebhookBatchWindow(Duration.ofMillis(10)))) {
      quiet.disconnect("OR0000SIMACME1");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(quiet.webhookDeliveries())
                      .singleElement()
                      .satisfies(
                          d -> {
                            assertThat(d.successful()).isFalse();
                            assertThat(d.retrying()).isFalse();
                            assertThat(d.lastError()).contains("no webhook endpoint");
                            assertThat(d.body())
                                .contains("\"id\":null")
                                .contains("\"disconnected\"");
                          }));
    }
  }
}
