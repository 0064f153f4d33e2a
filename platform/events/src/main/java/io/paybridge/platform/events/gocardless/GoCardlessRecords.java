package io.paybridge.platform.events.gocardless;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules that turn a GoCardless event into its Kafka record on the {@code gocardless.*} topics:
 * topic, key, event id (synthetic for events GoCardless sends without one) and event type. The one
 * place these rules live: webhook-ingest-service publishes with them, consumers and test stand-ins
 * read records with them, and the runbook's replay SQL is checked against them.
 *
 * <ul>
 *   <li><b>Topic</b>: {@link Topics#forGoCardlessResourceType}.
 *   <li><b>Key</b>: {@code links.<resource_type without its final s>} ({@code links.payment},
 *       {@code links.billing_request}, ...), else {@code links.organisation}, else the event id; a
 *       blank link counts as absent.
 *   <li><b>Event id</b>: the {@code id} GoCardless sent, or when it sent {@code null} or a blank
 *       one, {@code synthetic-} + the first 16 bytes, in lowercase hex, of the SHA-256 of the UTF-8
 *       text {@code <resource_type>\n<action>\n<created_at>} followed by {@code \n<key>=<value>}
 *       for each link in key order ({@code created_at} as sent, the four characters {@code null}
 *       when absent). A redelivery of the same event gets the same id. See docs/adr/0003.
 *   <li><b>Event type</b>: {@code <resource_type>.<action>}, GoCardless's own names.
 * </ul>
 */
public final class GoCardlessRecords {

  /** Prefix of the ids given to events that GoCardless sends with {@code "id": null}. */
  public static final String SYNTHETIC_ID_PREFIX = "synthetic-";

  /** The event type of GoCardless's notice that a merchant revoked the app (sent without id). */
  public static final String ORGANISATIONS_DISCONNECTED = "organisations.disconnected";

  /** The event type of a change to a creditor (its verification status among others). */
  public static final String CREDITORS_UPDATED = "creditors.updated";

  private static final Pattern GOCARDLESS_EVENT_ID = Pattern.compile("EV[0-9A-Z]+");

  private GoCardlessRecords() {}

  /** The record of an event. */
  public static GoCardlessRecord of(GoCardlessEventFields event) {
    boolean synthetic = event.id() == null || event.id().isBlank();
    String eventId =
        synthetic
            ? syntheticId(event.resourceType(), event.action(), event.createdAt(), event.links())
            : event.id();
    String organisationId = nonBlank(event.links().get("organisation"));
    String key = nonBlank(event.links().get(resourceLink(event.resourceType())));
    if (key == null) {
      key = organisationId != null ? organisationId : eventId;
    }
    return new GoCardlessRecord(
        topic(event.resourceType()),
        key,
        eventId,
        synthetic,
        eventType(event.resourceType(), event.action()),
        organisationId);
  }

  /** The topic of a resource type ({@link Topics#forGoCardlessResourceType}). */
  public static String topic(String resourceType) {
    return Topics.forGoCardlessResourceType(resourceType);
  }

  /** {@code <resource_type>.<action>}, e.g. {@code payments.confirmed}. */
  public static String eventType(String resourceType, String action) {
    return resourceType + "." + action;
  }

  /**
   * The {@code links} key of the resource an event is about: the resource type without its final
   * {@code s} ({@code payments} → {@code payment}, {@code billing_requests} → {@code
   * billing_request}).
   */
  public static String resourceLink(String resourceType) {
    return resourceType.endsWith("s")
        ? resourceType.substring(0, resourceType.length() - 1)
        : resourceType;
  }

  /**
   * The deterministic id of an event GoCardless sent without one (formula in the class comment).
   * Unchanged since the first release: changing it would give events already consumed a new id, and
   * their redeliveries would be applied again.
   *
   * @param links the event's string links; hashed in key order whatever the map's own order
   */
  public static String syntheticId(
      String resourceType, String action, String createdAt, Map<String, String> links) {
    var identity = new StringBuilder();
    identity.append(resourceType).append('\n').append(action).append('\n').append(createdAt);
    new TreeMap<>(links)
        .forEach((key, value) -> identity.append('\n').append(key).append('=').append(value));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
      return SYNTHETIC_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * Whether {@code id}, as sent in an event's {@code id}, is an id GoCardless issues ({@code EV}
   * and uppercase letters and digits, at most {@link OutboxEvent#MAX_ID_LENGTH} characters). An
   * event with any other id is not published: a consumer could not tell it from another event's (a
   * sent {@code synthetic-…} would collide with a derived one).
   */
  public static boolean isGoCardlessEventId(String id) {
    return id != null
        && id.length() <= OutboxEvent.MAX_ID_LENGTH
        && GOCARDLESS_EVENT_ID.matcher(id).matches();
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
