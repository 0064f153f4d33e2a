package io.paybridge.notification.endpoint;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which facts an endpoint wants. Each entry is one of:
 *
 * <ul>
 *   <li>{@code *}: every fact;
 *   <li>a topic, {@code merchants.connection}: every fact of that topic;
 *   <li>a topic wildcard, {@code billing.*}: every fact of the topics under that prefix;
 *   <li>an event type, {@code PaymentFailed}: the facts of that type, on whatever topic.
 * </ul>
 *
 * A fact matches when any entry matches it.
 */
public record EventTypeFilter(List<String> entries) {

  /** The most entries one endpoint may have. */
  public static final int MAX_ENTRIES = 50;

  private static final Pattern TOPIC =
      Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+");
  private static final Pattern TOPIC_WILDCARD =
      Pattern.compile("([a-z0-9]+(-[a-z0-9]+)*)(\\.[a-z0-9]+(-[a-z0-9]+)*)*\\.\\*");
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,99}");

  /**
   * @throws InvalidEventTypeFilterException when there is no entry, too many, or one is none of the
   *     forms above
   */
  public EventTypeFilter {
    if (entries == null || entries.isEmpty()) {
      throw new InvalidEventTypeFilterException("eventTypes must name at least one filter");
    }
    if (entries.size() > MAX_ENTRIES) {
      throw new InvalidEventTypeFilterException(
          "eventTypes may have at most " + MAX_ENTRIES + " filters");
    }
    for (String entry : entries) {
      if (entry == null
          || !(entry.equals("*")
              || TOPIC.matcher(entry).matches()
              || TOPIC_WILDCARD.matcher(entry).matches()
              || TYPE.matcher(entry).matches())) {
        throw new InvalidEventTypeFilterException(
            "'"
                + entry
                + "' is not a filter: use *, a topic (merchants.connection), a topic wildcard"
                + " (billing.*) or an event type (PaymentFailed)");
      }
    }
    entries = List.copyOf(new LinkedHashSet<>(entries));
  }

  /** Whether a fact of {@code type} published on {@code topic} is wanted. */
  public boolean matches(String topic, String type) {
    for (String entry : entries) {
      if (entry.equals("*") || entry.equals(type) || entry.equals(topic)) {
        return true;
      }
      if (entry.endsWith(".*")
          && topic != null
          && topic.startsWith(entry.substring(0, entry.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
