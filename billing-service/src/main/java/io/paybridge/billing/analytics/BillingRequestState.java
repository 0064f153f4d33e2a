package io.paybridge.billing.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What the facts of one billing request said so far ({@code analytics_billing_request}), and what
 * it adds to the mandate set-up funnel: once {@code BillingRequestCreated} said it asks for a
 * mandate, it counts as requested on its creation day; fulfilled once {@code
 * BillingRequestFulfilled} came; active once its mandate's {@code MandateActive} came (in either
 * order).
 */
record BillingRequestState(
    String billingRequestId,
    String merchantId,
    String team,
    String scheme,
    Boolean mandateRequested,
    Instant createdAt,
    Instant fulfilledAt,
    String mandateId) {

  /** The funnel row a billing request counts in. */
  record Key(String merchantId, String scheme, LocalDate day, String team)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int c = merchantId.compareTo(other.merchantId);
      if (c == 0) {
        c = scheme.compareTo(other.scheme);
      }
      return c != 0 ? c : day.compareTo(other.day);
    }
  }

  /** Requested, fulfilled, active: 0 or 1 each. */
  record Contribution(Key key, long[] counts) {}

  static BillingRequestState unknown(String id, String merchantId, String team) {
    return new BillingRequestState(id, merchantId, team, null, null, null, null, null);
  }

  BillingRequestState created(boolean requested, String scheme, Instant at) {
    return new BillingRequestState(
        billingRequestId,
        merchantId,
        team,
        scheme,
        requested,
        createdAt == null || at.isBefore(createdAt) ? at : createdAt,
        fulfilledAt,
        mandateId);
  }

  BillingRequestState fulfilled(String mandate, Instant at) {
    return new BillingRequestState(
        billingRequestId,
        merchantId,
        team,
        scheme,
        mandateRequested,
        createdAt,
        fulfilledAt == null || at.isBefore(fulfilledAt) ? at : fulfilledAt,
        mandateId != null ? mandateId : mandate);
  }

  /**
   * What it adds to the funnel, given when its mandate became active ({@code null}: not yet, or no
   * mandate); {@code null} while it does not count (its creation unknown, or no mandate asked for).
   */
  Contribution contribution(Instant mandateActiveAt) {
    if (createdAt == null || !Boolean.TRUE.equals(mandateRequested)) {
      return null;
    }
    var key =
        new Key(
            merchantId,
            scheme == null ? "unknown" : scheme,
            LocalDate.ofInstant(createdAt, ZoneOffset.UTC),
            team);
    return new Contribution(
        key,
        new long[] {
          1, fulfilledAt == null ? 0 : 1, mandateId != null && mandateActiveAt != null ? 1 : 0
        });
  }
}
