package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The event time the stale-event rule compares: read leniently, never a reason to dead-letter. */
class GoCardlessEventTimeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void readsGoCardlessTimestamps() {
    // The format of docs/gocardless/API.md §5.2.
    assertThat(createdAt("{\"created_at\":\"2014-01-01T12:00:00.000Z\"}"))
        .isEqualTo(Instant.parse("2014-01-01T12:00:00Z"));
    assertThat(createdAt("{\"created_at\":\"2014-01-01T13:00:00.000+01:00\"}"))
        .isEqualTo(Instant.parse("2014-01-01T12:00:00Z"));
  }

  @Test
  void aMissingOrUnreadableTimeMeansCurrent() {
    assertThat(createdAt("{}")).isNull();
    assertThat(createdAt("{\"created_at\":null}")).isNull();
    assertThat(createdAt("{\"created_at\":\"yesterday\"}")).isNull();
    assertThat(createdAt("{\"created_at\":\"2014-01-01T12:00:00\"}")).isNull();
    assertThat(createdAt("{\"created_at\":1388577600}")).isNull();
  }

  private static Instant createdAt(String json) {
    JsonNode event = JSON.readTree(json);
    return GoCardlessEventsListener.createdAt(event, "EV123");
  }
}
