package io.paybridge.platform.operations.deadletters;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A record a consumer group set aside on its dead-letter topic ({@code
 * <topic>.<consumer-group>.dlt}), as operators see it.
 *
 * @param id {@code <dlt topic>-<partition>-<offset>}: where it lies on the dead-letter topic
 * @param topic the dead-letter topic
 * @param originalTopic the topic it was read from, and goes back to on a replay
 * @param partition its partition on the dead-letter topic
 * @param offset its offset on the dead-letter topic
 * @param key the record's key (the resource id)
 * @param eventId its {@code id} header, the consumers' dedup key
 * @param eventType its {@code eventType} header
 * @param error the exception message that dead-lettered it
 * @param at when it was dead-lettered
 * @param payload the record's value (JSON as JSON, anything else as a string); only when one dead
 *     letter is asked for
 * @param headers its headers (the dead-letter ones included, stack trace left out); only when one
 *     dead letter is asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    String id,
    String topic,
    String originalTopic,
    int partition,
    long offset,
    String key,
    String eventId,
    String eventType,
    String error,
    Instant at,
    Object payload,
    Map<String, String> headers) {

  /** The same dead letter with another view of its payload. */
  DeadLetter withPayload(Object view) {
    return new DeadLetter(
        id,
        topic,
        originalTopic,
        partition,
        offset,
        key,
        eventId,
        eventType,
        error,
        at,
        view,
        headers);
  }

  /** The same dead letter without payload and headers, as lists show it. */
  public DeadLetter summary() {
    return new DeadLetter(
        id,
        topic,
        originalTopic,
        partition,
        offset,
        key,
        eventId,
        eventType,
        error,
        at,
        null,
        null);
  }
}
