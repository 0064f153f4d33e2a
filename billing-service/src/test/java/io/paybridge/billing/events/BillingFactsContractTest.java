package io.paybridge.billing.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.BillingRequestFact.BillingRequestCancelled;
import io.paybridge.platform.events.billing.BillingRequestFact.BillingRequestCreated;
import io.paybridge.platform.events.billing.BillingRequestFact.BillingRequestFulfilled;
import io.paybridge.platform.events.billing.InstalmentScheduleFact.InstalmentScheduleCancelled;
import io.paybridge.platform.events.billing.InstalmentScheduleFact.InstalmentScheduleCompleted;
import io.paybridge.platform.events.billing.InstalmentScheduleFact.InstalmentScheduleCreated;
import io.paybridge.platform.events.billing.InstalmentScheduleFact.InstalmentScheduleCreationFailed;
import io.paybridge.platform.events.billing.InstalmentScheduleFact.InstalmentScheduleErrored;
import io.paybridge.platform.events.billing.MandateFact.MandateActive;
import io.paybridge.platform.events.billing.MandateFact.MandateCancelled;
import io.paybridge.platform.events.billing.MandateFact.MandateExpired;
import io.paybridge.platform.events.billing.MandateFact.MandateFailed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentCancelled;
import io.paybridge.platform.events.billing.PaymentFact.PaymentChargedBack;
import io.paybridge.platform.events.billing.PaymentFact.PaymentConfirmed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentCreated;
import io.paybridge.platform.events.billing.PaymentFact.PaymentFailed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentPaidOut;
import io.paybridge.platform.events.billing.PaymentFact.PaymentRetryDeclined;
import io.paybridge.platform.events.billing.PaymentFact.PaymentRetryScheduled;
import io.paybridge.platform.events.billing.RefundFact.RefundPaid;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionAmended;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionCancelled;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionCreated;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionFinished;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionPaused;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionPaymentCreated;
import io.paybridge.platform.events.billing.SubscriptionFact.SubscriptionResumed;
import io.paybridge.platform.testsupport.AsyncApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins the wire contract of billing.*: a golden JSON file per fact (the field names
 * notification-service reads, shared-contract's names), type, topic, key and headers, and the
 * AsyncAPI document's schema of each.
 */
class BillingFactsContractTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));
  private static final Instant AT = Instant.parse("2026-03-02T10:15:47.578Z");
  private static final String M = "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10";
  private static final String T = "team-a";
  private static final String O = "OR00004YQ27G22";
  private static final String BRQ = "BRQ0005FNKD1T9";
  private static final String MD = "MD000ANZ2QXBPH";
  private static final String PM = "PM00091QG7TSFF";
  private static final String EV = "EV0000ABCD1234";
  // The subscription id of gocardless-pro-java's webhook test vector.
  private static final String SB = "SB0003JJQ2MR06";
  private static final String IS = "IS0000B7K2W9QA";

  static final List<BillingFact> EXAMPLES =
      List.of(
          new BillingRequestCreated(M, T, O, BRQ, true, "bacs", AT, EV),
          new BillingRequestFulfilled(M, T, O, BRQ, MD, PM, AT, EV),
          new BillingRequestCancelled(M, T, O, BRQ, AT, EV),
          new MandateActive(M, T, O, MD, AT, EV),
          new MandateCancelled(
              M,
              T,
              O,
              MD,
              "bank_account_closed",
              "ADDACS-B",
              "The customer's bank account was closed.",
              AT,
              EV),
          new MandateExpired(
              M,
              T,
              O,
              MD,
              "mandate_expired",
              null,
              "The mandate expired after 13 months without a payment.",
              AT,
              EV),
          new MandateFailed(
              M,
              T,
              O,
              MD,
              "invalid_bank_details",
              "AUDDIS-5",
              "The bank details were invalid.",
              AT,
              EV),
          new PaymentCreated(
              M, T, O, PM, MD, 2500, "GBP", "bacs", LocalDate.parse("2026-03-09"), AT, EV),
          new PaymentConfirmed(M, T, O, PM, MD, 2500, "GBP", AT, EV),
          new PaymentFailed(
              M,
              T,
              O,
              PM,
              MD,
              2500,
              "GBP",
              "insufficient_funds",
              "ARUDD-0",
              "The customer's account had insufficient funds to make this payment.",
              true,
              AT,
              EV),
          new PaymentPaidOut(M, T, O, PM, MD, 2500, "GBP", "PO00000F2B3C4D", AT, EV),
          new PaymentCancelled(M, T, O, PM, MD, 2500, "GBP", "mandate_cancelled", AT, EV),
          new PaymentChargedBack(
              M,
              T,
              O,
              PM,
              MD,
              2500,
              "GBP",
              "payment_charged_back",
              "ADDACS-0",
              "The customer asked their bank to refund this payment.",
              AT,
              EV),
          new PaymentRetryScheduled(
              M,
              T,
              O,
              PM,
              MD,
              2500,
              "GBP",
              LocalDate.parse("2026-04-01"),
              1,
              "payer_history",
              "insufficient_funds",
              Instant.parse("2026-03-02T10:15:49.012Z"),
              AT,
              EV),
          new PaymentRetryDeclined(
              M,
              T,
              O,
              PM,
              MD,
              2500,
              "GBP",
              "cause_not_retryable",
              "bank_account_closed",
              Instant.parse("2026-03-02T10:15:49.012Z"),
              AT,
              EV),
          new RefundPaid(M, T, O, "RF00003X6V2Q1K", PM, 1000, "GBP", AT, EV),
          new SubscriptionCreated(M, T, O, SB, MD, 2500, "GBP", AT, EV),
          new SubscriptionPaymentCreated(M, T, O, SB, MD, PM, AT, EV),
          new SubscriptionAmended(M, T, O, SB, MD, AT, EV),
          new SubscriptionPaused(M, T, O, SB, MD, AT, EV),
          new SubscriptionResumed(M, T, O, SB, MD, AT, EV),
          new SubscriptionFinished(M, T, O, SB, MD, AT, EV),
          new SubscriptionCancelled(
              M,
              T,
              O,
              SB,
              MD,
              "mandate_cancelled",
              null,
              "The subscription was cancelled because its mandate was cancelled.",
              AT,
              EV),
          new InstalmentScheduleCreated(M, T, O, IS, MD, 3000, "GBP", AT, EV),
          new InstalmentScheduleCreationFailed(
              M,
              T,
              O,
              IS,
              MD,
              3000,
              "GBP",
              "instalment_schedule_creation_failed",
              null,
              "The instalment schedule could not be created: an instalment can't be charged.",
              AT,
              EV),
          new InstalmentScheduleCompleted(M, T, O, IS, MD, AT, EV),
          new InstalmentScheduleErrored(
              M,
              T,
              O,
              IS,
              MD,
              "instalment_schedule_errored",
              null,
              "A payment of the instalment schedule failed.",
              AT,
              EV),
          new InstalmentScheduleCancelled(
              M,
              T,
              O,
              IS,
              MD,
              "instalment_schedule_cancelled",
              null,
              "Instalment schedule cancelled via the API.",
              AT,
              EV));

  @Test
  void everyFactTypeHasAnExampleHere() {
    var permitted =
        Stream.of(BillingFact.class.getPermittedSubclasses())
            .flatMap(family -> Stream.of(family.getPermittedSubclasses()))
            .toList();
    assertThat(EXAMPLES.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrderElementsOf(permitted);
  }

  @Test
  void eachFactMatchesItsGoldenFileEnvelopeAndSchema() throws IOException {
    for (BillingFact fact : EXAMPLES) {
      String type = fact.getClass().getSimpleName();
      var outbox = fact.toOutboxEvent(JSON.writeValueAsString(fact));

      assertThat(outbox.type()).isEqualTo(type);
      assertThat(outbox.topic()).startsWith("billing.");
      assertThat(outbox.key()).isEqualTo(fact.resourceId());
      assertThat(outbox.tenant()).isEqualTo(T);
      assertThat(outbox.organisationId()).isEqualTo(O);
      assertThat(JSON.readTree(outbox.payload())).as(type).isEqualTo(JSON.readTree(golden(type)));

      // The record as the relay publishes it (headers from the outbox columns plus CloudEvents).
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(EventHeaders.ID, outbox.id());
      headers.put(EventHeaders.EVENT_TYPE, type);
      headers.put(EventHeaders.TENANT, T);
      headers.put(EventHeaders.ORGANISATION_ID, O);
      headers.put(EventHeaders.CREATED_AT, AT.toString());
      headers.put("ce_id", outbox.id());
      headers.put("ce_type", type);
      headers.put("ce_source", "/paybridge/billing-service");
      headers.put("ce_specversion", "1.0");
      headers.put("ce_time", AT.toString());
      headers.put("content-type", "application/json");
      assertThat(CONTRACT.violations(outbox.topic(), headers, outbox.payload())).as(type).isEmpty();
    }
  }

  @Test
  void theAsyncApiDocumentListsEveryFactOnItsTopic() {
    for (BillingFact fact : EXAMPLES) {
      assertThat(CONTRACT.messageNames(fact.topic())).contains(fact.getClass().getSimpleName());
    }
  }

  @Test
  void noFactHasAFieldThatCouldCarryAToken() {
    for (BillingFact fact : EXAMPLES) {
      assertThat(
              Arrays.stream(fact.getClass().getRecordComponents())
                  .map(c -> c.getName().toLowerCase()))
          .noneMatch(name -> name.contains("token") || name.contains("secret"));
    }
  }

  private static String golden(String type) throws IOException {
    try (InputStream in =
        BillingFactsContractTest.class.getResourceAsStream("/contracts/" + type + ".json")) {
      assertThat(in).as("golden file contracts/%s.json", type).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
