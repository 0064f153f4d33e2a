package io.paybridge.platform.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A service's part of the operators' event timeline: what every {@link TimelineContributor} of the
 * service knows of the ids asked about, in time order ({@code GET /operations/timeline?q=}).
 */
public class OperationsTimeline {

  /** The longest id accepted (GoCardless's ids are short; PayBridge's event ids at most 64). */
  public static final int MAX_ID_LENGTH = 255;

  /** The most ids in one question (the gateway asks again with the event ids it found). */
  public static final int MAX_IDS = 50;

  // GoCardless ids (EV…, PM…), UUIDs, request ids, synthetic ids (with ':' or '.').
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]+");

  private final String service;
  private final List<TimelineContributor> contributors;

  public OperationsTimeline(String service, List<TimelineContributor> contributors) {
    this.service = service;
    this.contributors = List.copyOf(contributors);
  }

  public String service() {
    return service;
  }

  /**
   * The steps this service knows of for {@code ids}, sorted by time.
   *
   * @throws InvalidTimelineQueryException for no id, more than {@link #MAX_IDS}, or an id that is
   *     empty, longer than {@link #MAX_ID_LENGTH} or holds other characters than letters, digits,
   *     {@code _ . : -}
   */
  public List<TimelineStep> steps(Collection<String> ids) {
    var wanted = validated(ids);
    var steps = new ArrayList<TimelineStep>();
    for (var contributor : contributors) {
      steps.addAll(contributor.steps(service, wanted));
    }
    steps.sort(Comparator.comparing(TimelineStep::at));
    return steps;
  }

  static LinkedHashSet<String> validated(Collection<String> ids) {
    if (ids == null || ids.isEmpty()) {
      throw new InvalidTimelineQueryException(
          "q is required: a GoCardless event id, a resource id or a request id");
    }
    var wanted = new LinkedHashSet<String>();
    for (String id : ids) {
      String trimmed = id == null ? "" : id.strip();
      if (trimmed.isEmpty() || trimmed.length() > MAX_ID_LENGTH || !ID.matcher(trimmed).matches()) {
        throw new InvalidTimelineQueryException(
            "q must be an id of at most "
                + MAX_ID_LENGTH
                + " letters, digits and _ . : - characters");
      }
      wanted.add(trimmed);
    }
    if (wanted.size() > MAX_IDS) {
      throw new InvalidTimelineQueryException("At most " + MAX_IDS + " ids (q) in one question");
    }
    return wanted;
  }
}
