package io.paybridge.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventHeadersTest {

  @Test
  void placesEachOutboxColumnInItsHeader() {
    assertThat(EventHeaders.OUTBOX_COLUMN_HEADERS)
        .containsExactly(
            java.util.Map.entry("id", "id"),
            java.util.Map.entry("type", "eventType"),
            java.util.Map.entry("tenant", "tenant"),
            java.util.Map.entry("organisation_id", "organisationId"),
            java.util.Map.entry("traceparent", "traceparent"),
            java.util.Map.entry("created_at", "createdAt"));
  }

  @Test
  void writesThePlacementInTheOutboxEventRoutersSyntax() {
    // The id column is the router's event id field (table.field.event.id), not an additional one.
    assertThat(EventHeaders.debeziumAdditionalPlacement())
        .isEqualTo(
            "type:header:eventType,tenant:header:tenant,organisation_id:header:organisationId,"
                + "traceparent:header:traceparent,created_at:header:createdAt");
  }
}
