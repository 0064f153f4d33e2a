package io.paybridge.simulator.internal;

import java.util.Map;
import java.util.function.Function;

/**
 * What identifies one kind of resource to both its state machine and its HTTP declaration ({@link
 * ResourceApi}): its envelope (also its path and its events' {@code resource_type}), its name in
 * event links and filters, its store, and its metadata (copied into its events' {@code
 * resource_metadata}).
 *
 * @param envelope e.g. {@code payments}
 * @param link e.g. {@code payment}
 */
public record ResourceType<T extends Resource>(
    State state,
    String envelope,
    String link,
    Registry<T> registry,
    Function<T, Map<String, String>> metadata) {

  /** Starts an event about {@code t}: resource type, {@code links.<link>}, resource metadata. */
  public State.EventBuilder event(T t, String action) {
    return state
        .event(t.organisationId, envelope, action)
        .link(link, t.id)
        .resourceMetadata(metadata.apply(t));
  }

  /** An event with the origin, cause and description GoCardless gives the transition (§5.3). */
  public State.EventBuilder event(
      T t, String action, String origin, String cause, String description) {
    return event(t, action).origin(origin).cause(cause).description(description);
  }
}
