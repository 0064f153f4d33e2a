package io.paybridge.platform.events.gocardless;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runbook's replay of stored GoCardless events (docs/runbook.md) writes outbox rows with SQL:
 * its topic, key, id and type must be the ones {@link GoCardlessRecords} gives, or a replayed event
 * would land on another topic or partition, or be taken for another event.
 */
class RunbookReplayTest {

  private static final Path RUNBOOK = Path.of("../../docs/runbook.md");
  private static final Pattern WHEN = Pattern.compile("when '([a-z_]+)'\\s+then '([a-z.-]+)'");
  private static final Pattern ELSE =
      Pattern.compile("else '([a-z.-]+)'\\s+end\\s+as aggregatetype");

  @Test
  void theReplaySqlRoutesEachResourceTypeAsTheContractDoes() throws IOException {
    String sql = replaySql();
    Map<String, String> topicByType = new LinkedHashMap<>();
    var when = WHEN.matcher(sql);
    while (when.find()) {
      topicByType.put(when.group(1), when.group(2));
    }

    assertThat(topicByType).isNotEmpty();
    topicByType.forEach(
        (type, topic) -> assertThat(topic).as(type).isEqualTo(GoCardlessRecords.topic(type)));
    // every topic of its own is reached, every other type goes where the contract sends it
    assertThat(topicByType.values())
        .containsExactlyInAnyOrderElementsOf(
            Topics.gocardlessTopics().stream()
                .filter(topic -> !topic.equals(Topics.GOCARDLESS_OTHER))
                .toList());
    var otherwise = ELSE.matcher(sql);
    assertThat(otherwise.find()).as("an else branch").isTrue();
    assertThat(otherwise.group(1)).isEqualTo(GoCardlessRecords.topic("a_type_added_next_year"));
  }

  @Test
  void theReplaySqlKeepsTheStoredIdAndKeyAndNamesTheTypeAsTheContractDoes() throws IOException {
    String sql = replaySql().replaceAll("\\s+", " ");
    // gocardless_event.event_id and resource_id hold GoCardlessRecord.eventId() and key() as
    // ingested (resource_id already falls back to the organisation, then the event id).
    assertThat(sql).contains("select e.event_id as id,");
    assertThat(sql)
        .contains("coalesce(e.resource_id, e.organisation_id, e.event_id) as aggregateid");
    assertThat(sql).contains("e.resource_type || '.' || e.action as type");
    assertThat(GoCardlessRecords.eventType("payments", "confirmed"))
        .isEqualTo("payments.confirmed");
  }

  private static String replaySql() throws IOException {
    String runbook = Files.readString(RUNBOOK);
    int start = runbook.indexOf("create temp table replay");
    int end = runbook.indexOf("from gocardless_event e", start);
    assertThat(start).as("the replay SQL in %s", RUNBOOK).isNotNegative();
    assertThat(end).isGreaterThan(start);
    return runbook.substring(start, end);
  }
}
