package io.paybridge.webhookingest.webhook;

import java.util.List;

/** A correctly signed body, read: a batch of events, or content that is not a webhook at all. */
sealed interface ParsedBody {

  /**
   * A GoCardless webhook.
   *
   * @param webhookId {@code meta.webhook_id}, or {@code null}
   * @param events every element of {@code events}, in order, routable or not
   */
  record Batch(String webhookId, List<ParsedEvent> events) implements ParsedBody {

    List<GoCardlessEvent> routable() {
      return events.stream()
          .filter(GoCardlessEvent.class::isInstance)
          .map(GoCardlessEvent.class::cast)
          .toList();
    }

    List<ParsedEvent.Rejected> rejected() {
      return events.stream()
          .filter(ParsedEvent.Rejected.class::isInstance)
          .map(ParsedEvent.Rejected.class::cast)
          .toList();
    }
  }

  /** Not UTF-8, not JSON, or not the webhook shape; {@code detail} says which. */
  record Malformed(String detail) implements ParsedBody {}
}
