package io.paybridge.billing.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the facts of one payment said so far ({@code analytics_payment}): its creation (from {@code
 * PaymentCreated}; {@code null} fields until it arrives) and its outcome facts, one per GoCardless
 * event.
 */
record PaymentState(
    String paymentId,
    String merchantId,
    String team,
    String scheme,
    String currency,
    Long amount,
    Instant createdAt,
    List<Seen> facts) {

  /**
   * One outcome fact of the payment.
   *
   * @param id the GoCardless event id: a fact already held is not added again
   * @param at GoCardless's time of the event (ISO-8601)
   */
  record Seen(
      String id,
      String type,
      String at,
      String cause,
      String reasonCode,
      Boolean willAttemptRetry) {

    Instant instant() {
      return Instant.parse(at);
    }
  }

  static PaymentState unknown(String paymentId, String merchantId, String team) {
    return new PaymentState(paymentId, merchantId, team, null, null, null, null, List.of());
  }

  PaymentState created(String scheme, String currency, long amount, Instant at) {
    return new PaymentState(
        paymentId,
        merchantId,
        team,
        scheme,
        currency,
        amount,
        createdAt == null || at.isBefore(createdAt) ? at : createdAt,
        facts);
  }

  /** With the fact added, unless a fact of the same GoCardless event is held already. */
  PaymentState with(Seen seen) {
    if (facts.stream().anyMatch(f -> f.id().equals(seen.id()))) {
      return this;
    }
    var more = new ArrayList<>(facts);
    more.add(seen);
    return new PaymentState(
        paymentId, merchantId, team, scheme, currency, amount, createdAt, List.copyOf(more));
  }
}
