package io.paybridge.platform.operations.deadletters;

import java.time.Instant;

/**
 * Which dead letters a replay takes; every field is optional (none: all of the service's).
 *
 * @param topic a dead-letter topic or the original topic
 * @param eventType the {@code eventType} header
 * @param from dead-lettered at or after
 * @param to dead-lettered before
 */
public record DeadLetterFilter(String topic, String eventType, Instant from, Instant to) {

  boolean matches(DeadLetter letter) {
    return (topic == null || topic.equals(letter.topic()) || topic.equals(letter.originalTopic()))
        && (eventType == null || eventType.equals(letter.eventType()))
        && (from == null || (letter.at() != null && !letter.at().isBefore(from)))
        && (to == null || (letter.at() != null && letter.at().isBefore(to)));
  }
}
