package io.paybridge.platform.outbox;

import java.util.List;
import java.util.Set;

/**
 * A service's own part of the operators' event timeline: the steps it knows of for any of the ids
 * asked about (GoCardless event ids, resource ids, PayBridge event ids, request ids). The platform
 * contributes the outbox, the Kafka placements, the consumed events and the parked records ({@link
 * OutboxTimelineRepository}); a service adds a bean of this type for its own tables.
 */
@FunctionalInterface
public interface TimelineContributor {

  /**
   * @param service the service's name, for {@link TimelineStep#service()}
   * @param ids the ids asked about, each at most {@link OperationsTimeline#MAX_ID_LENGTH}
   *     characters
   */
  List<TimelineStep> steps(String service, Set<String> ids);
}
