package io.paybridge.platform.operations.deadletters;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dead letters for operators ({@code paybridge.dead-letters.*}).
 *
 * @param timeout longest a list, an inspection or a replay waits for Kafka before answering 503
 * @param maxReplay most records one replay sends; a filter that takes more replays the oldest ones
 *     (the answer's {@code replayed} says how many), and the rest with the next request
 * @param timelineSearch how many of the newest records of each dead-letter partition the event
 *     timeline searches for the ids asked about ({@code dead-lettered} steps); older dead letters
 *     are listed and replayed as usual but not found by the timeline
 */
@ConfigurationProperties("paybridge.dead-letters")
public record DeadLetterProperties(
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("10000") int maxReplay,
    @DefaultValue("1000") int timelineSearch) {}
