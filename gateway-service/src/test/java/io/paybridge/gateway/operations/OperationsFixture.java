package io.paybridge.gateway.operations;

import io.paybridge.gateway.support.Downstream;
import io.paybridge.gateway.support.GatewayHarness;
import java.util.ArrayList;
import java.util.List;

/**
 * What the services answer an operator in these tests: the parts of one GoCardless event's
 * timeline, as each service would give them (ingest: the delivery, inbox, outbox and Kafka record
 * of EV1; billing: EV1 consumed and the fact PaymentConfirmed F1 it caused; notification: F1
 * consumed and delivered, which it knows by F1 only), and each service's relay.
 */
final class OperationsFixture {

  static final String EVENT = "EV0TL1";
  static final String FACT = "f0000000-0000-4000-8000-000000000001";

  private OperationsFixture() {}

  /** Every service answers its part; {@code down} answers 503 instead. */
  static void servicesAnswer(Downstream... down) {
    GatewayHarness.WEBHOOK_INGEST.acceptOperatorToken(GatewayHarness.WEBHOOK_INGEST_OPERATOR_TOKEN);
    GatewayHarness.WEBHOOK_INGEST.answer(
        "/operations/timeline",
        request ->
            part(
                request,
                EVENT,
                step(
                    "2026-11-30T08:00:00.100Z",
                    "webhook-ingest-service",
                    "delivery-received",
                    "GoCardless webhook WB1 with 1 events received and verified",
                    null),
                step(
                    "2026-11-30T08:00:00.120Z",
                    "webhook-ingest-service",
                    "inbox-stored",
                    "payments.confirmed event EV0TL1 stored in the inbox",
                    EVENT),
                step(
                    "2026-11-30T08:00:00.121Z",
                    "webhook-ingest-service",
                    "outbox-written",
                    "confirmed EV0TL1 written to the outbox for gocardless.payments",
                    EVENT),
                step(
                    "2026-11-30T08:00:00.300Z",
                    "webhook-ingest-service",
                    "kafka-record",
                    "confirmed EV0TL1 committed to gocardless.payments-0 at offset 7",
                    EVENT)));
    GatewayHarness.BILLING.answer(
        "/operations/timeline",
        request ->
            part(
                request,
                EVENT,
                step(
                    "2026-11-30T08:00:00.400Z",
                    "billing-service",
                    "consumed",
                    "billing-service applied event EV0TL1",
                    EVENT),
                step(
                    "2026-11-30T08:00:00.401Z",
                    "billing-service",
                    "outbox-written",
                    "PaymentConfirmed F1 written to the outbox for billing.payment",
                    FACT),
                step(
                    "2026-11-30T08:00:00.600Z",
                    "billing-service",
                    "kafka-record",
                    "PaymentConfirmed F1 committed to billing.payment-0 at offset 3",
                    FACT)));
    GatewayHarness.NOTIFICATION.answer(
        "/operations/timeline",
        request ->
            part(
                request,
                FACT,
                step(
                    "2026-11-30T08:00:00.700Z",
                    "notification-service",
                    "consumed",
                    "notification-service applied event F1",
                    FACT),
                step(
                    "2026-11-30T08:00:00.900Z",
                    "notification-service",
                    "notification-delivered",
                    "PaymentConfirmed delivered to team-a's webhook endpoint, attempt 1",
                    FACT)));
    GatewayHarness.OAUTH.answer("/operations/timeline", request -> part(request, "none"));
    GatewayHarness.WEBHOOK_INGEST.answer(
        "/operations/rejections",
        request ->
            "{\"rejections\":[{\"at\":\"2026-11-30T07:59:00Z\",\"reason\":\"invalid-signature\","
                + "\"requestId\":\"req-498\",\"status\":498}]}");
    for (var downstream :
        List.of(
            GatewayHarness.WEBHOOK_INGEST,
            GatewayHarness.OAUTH,
            GatewayHarness.BILLING,
            GatewayHarness.NOTIFICATION)) {
      String name =
          downstream.url().equals(GatewayHarness.WEBHOOK_INGEST.url())
              ? "webhook-ingest-service"
              : downstream.url().equals(GatewayHarness.OAUTH.url())
                  ? "oauth-service"
                  : downstream.url().equals(GatewayHarness.BILLING.url())
                      ? "billing-service"
                      : "notification-service";
      downstream.answer(
          "/operations/relay",
          request ->
              "{\"service\":\""
                  + name
                  + "\",\"leader\":true,\"state\":\"publishing\","
                  + "\"lagMs\":12,\"backlog\":4096}");
    }
    for (var failing : down) {
      failing.answer(503);
    }
  }

  /** The steps a service knows when asked about the ids in {@code request}'s q. */
  private static String part(Downstream.Received request, String knownId, String... steps) {
    var asked = new ArrayList<String>();
    for (String pair : request.query().split("&")) {
      if (pair.startsWith("q=")) {
        asked.add(
            java.net.URLDecoder.decode(pair.substring(2), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    String body = asked.contains(knownId) ? String.join(",", steps) : "";
    return "{\"query\":\""
        + String.join(",", asked)
        + "\",\"steps\":["
        + body
        + "],\"unavailable\":[]}";
  }

  private static String step(
      String at, String service, String kind, String summary, String eventId) {
    return "{\"at\":\""
        + at
        + "\",\"service\":\""
        + service
        + "\",\"kind\":\""
        + kind
        + "\",\"summary\":\""
        + summary
        + "\",\"detail\":{"
        + (eventId == null ? "" : "\"eventId\":\"" + eventId + "\"")
        + "}}";
  }
}
