package io.paybridge.platform.events.gocardless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record rules of the gocardless.* topics. Expected synthetic ids were computed outside this
 * code base, e.g. {@code printf 'organisations\ndisconnected\n2021-07-02T11:04:23.357Z\n
 * organisation=OR00004YQ27G22' | sha256sum | cut -c1-32} (without the line break after the last
 * {@code \n}).
 */
class GoCardlessRecordsTest {

  @Test
  void givesANullIdEventTheSyntheticIdOfThePinnedFormula() {
    var record =
        GoCardlessRecords.of(
            new GoCardlessEventFields(
                null,
                "organisations",
                "disconnected",
                "2021-07-02T11:04:23.357Z",
                Map.of("organisation", "OR00004YQ27G22")));

    assertThat(record.eventId()).isEqualTo("synthetic-f7ec73b77afa3f19818209591303c76f");
    assertThat(record.syntheticId()).isTrue();
    assertThat(record.topic()).isEqualTo("gocardless.organisations");
    assertThat(record.key()).isEqualTo("OR00004YQ27G22");
    assertThat(record.eventType()).isEqualTo("organisations.disconnected");
    assertThat(record.organisationId()).isEqualTo("OR00004YQ27G22");
  }

  @Test
  void hashesLinksInKeyOrderAndAnAbsentCreatedAtAsTheWordNull() {
    // Given in reverse order: the id must not depend on it.
    var links = new LinkedHashMap<String, String>();
    links.put("organisation", "OR00004YQ27G22");
    links.put("creditor", "CR000070S65B1S");

    assertThat(GoCardlessRecords.syntheticId("creditors", "updated", null, links))
        .isEqualTo("synthetic-38ff36755848e6de3d401be97d6bea08");
  }

  @Test
  void hashesBlankLinksAndNonAsciiTextAsUtf8() {
    var links = Map.of("payment", "", "organisation", "OR1", "z", "\u00e9");

    assertThat(
            GoCardlessRecords.syntheticId(
                "payments", "confirmed", "2026-03-02T10:15:47.578Z", links))
        .isEqualTo("synthetic-a6d00e541d133c083da87603e9e14725");
  }

  @Test
  void keepsTheIdGoCardlessSentAndGivesABlankOneASyntheticId() {
    var sent =
        GoCardlessRecords.of(
            new GoCardlessEventFields(
                "EV01PZ44SPF2SM", "payments", "confirmed", null, Map.of("payment", "PM1")));
    var blank =
        GoCardlessRecords.of(
            new GoCardlessEventFields(
                " ", "payments", "confirmed", null, Map.of("payment", "PM1")));

    assertThat(sent.eventId()).isEqualTo("EV01PZ44SPF2SM");
    assertThat(sent.syntheticId()).isFalse();
    assertThat(blank.eventId()).startsWith("synthetic-");
    assertThat(blank.syntheticId()).isTrue();
  }

  @Test
  void keysARecordByItsResourceLinkElseTheOrganisationElseTheEventId() {
    assertThat(keyOf("billing_requests", Map.of("billing_request", "BRQ1", "organisation", "OR1")))
        .isEqualTo("BRQ1");
    assertThat(keyOf("instalment_schedules", Map.of("instalment_schedule", "IS1")))
        .isEqualTo("IS1");
    assertThat(keyOf("payments", Map.of("payment", " ", "organisation", "OR1"))).isEqualTo("OR1");
    assertThat(keyOf("exports", Map.of())).isEqualTo("EV1");
  }

  @Test
  void routesByResourceTypeAndNamesTheTypeAsGoCardlessDoes() {
    var payment =
        GoCardlessRecords.of(
            new GoCardlessEventFields("EV1", "billing_requests", "fulfilled", null, Map.of()));
    var other =
        GoCardlessRecords.of(
            new GoCardlessEventFields("EV1", "outbound_payments", "executed", null, Map.of()));

    assertThat(payment.topic()).isEqualTo("gocardless.billing-requests");
    assertThat(payment.eventType()).isEqualTo("billing_requests.fulfilled");
    assertThat(other.topic()).isEqualTo("gocardless.other");
    assertThat(other.eventType()).isEqualTo("outbound_payments.executed");
    assertThat(GoCardlessRecords.ORGANISATIONS_DISCONNECTED)
        .isEqualTo("organisations.disconnected");
    assertThat(GoCardlessRecords.CREDITORS_UPDATED).isEqualTo("creditors.updated");
  }

  @Test
  void makesTheOutboxRowOfTheRecordWithoutATenant() {
    var outbox =
        GoCardlessRecords.of(
                new GoCardlessEventFields(
                    "EV1",
                    "payments",
                    "paid_out",
                    null,
                    Map.of("payment", "PM1", "organisation", "OR1")))
            .toOutboxEvent(
                "{\"id\":\"EV1\"}", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    assertThat(outbox.id()).isEqualTo("EV1");
    assertThat(outbox.topic()).isEqualTo("gocardless.payments");
    assertThat(outbox.key()).isEqualTo("PM1");
    assertThat(outbox.type()).isEqualTo("payments.paid_out");
    assertThat(outbox.payload()).isEqualTo("{\"id\":\"EV1\"}");
    assertThat(outbox.organisationId()).isEqualTo("OR1");
    assertThat(outbox.tenant()).isNull();
    assertThat(outbox.traceparent())
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  void acceptsOnlyIdsGoCardlessIssues() {
    assertThat(GoCardlessRecords.isGoCardlessEventId("EV01PZ44SPF2SM")).isTrue();
    assertThat(GoCardlessRecords.isGoCardlessEventId("EV" + "1".repeat(62))).isTrue();
    assertThat(GoCardlessRecords.isGoCardlessEventId("EV" + "1".repeat(63))).isFalse();
    assertThat(GoCardlessRecords.isGoCardlessEventId("ev01pz44spf2sm")).isFalse();
    assertThat(GoCardlessRecords.isGoCardlessEventId("PM01PZ44SPF2SM")).isFalse();
    assertThat(GoCardlessRecords.isGoCardlessEventId("EV")).isFalse();
    assertThat(GoCardlessRecords.isGoCardlessEventId("synthetic-" + "0".repeat(32))).isFalse();
    assertThat(GoCardlessRecords.isGoCardlessEventId(null)).isFalse();
  }

  @Test
  void refusesAnEventWithoutResourceTypeOrAction() {
    assertThatThrownBy(() -> new GoCardlessEventFields("EV1", " ", "created", null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GoCardlessEventFields("EV1", "payments", null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String keyOf(String resourceType, Map<String, String> links) {
    return GoCardlessRecords.of(
            new GoCardlessEventFields("EV1", resourceType, "created", null, links))
        .key();
  }
}
