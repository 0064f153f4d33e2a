package io.paybridge.billing.events;

import java.util.Map;
import java.util.Set;

/**
 * GoCardless's documented status transitions by {@code (resource_type, action)} (docs/gocardless/
 * API.md §4.3, §4.4, §5.3): from which statuses an event moves a resource, and to which. Dispatch
 * is on both: refunds and mandates reuse {@code created}, {@code failed}, {@code cancelled}. An
 * action without an entry changes no status (e.g. {@code late_failure_settled}).
 */
final class Transitions {

  record Transition(Set<String> from, String to) {}

  private static final Map<String, Map<String, Transition>> BY_RESOURCE =
      Map.of(
          "payments",
          Map.ofEntries(
              Map.entry(
                  "customer_approval_granted",
                  t(Set.of("pending_customer_approval"), "pending_submission")),
              Map.entry(
                  "customer_approval_denied",
                  t(Set.of("pending_customer_approval"), "customer_approval_denied")),
              Map.entry("submitted", t(Set.of("pending_submission"), "submitted")),
              Map.entry("confirmed", t(Set.of("pending_submission", "submitted"), "confirmed")),
              // A cancelled chargeback returns the payment to confirmed.
              Map.entry("chargeback_cancelled", t(Set.of("charged_back"), "confirmed")),
              Map.entry(
                  "paid_out",
                  t(Set.of("pending_submission", "submitted", "confirmed"), "paid_out")),
              // Late failure: after confirmed or paid out.
              Map.entry(
                  "failed",
                  t(Set.of("pending_submission", "submitted", "confirmed", "paid_out"), "failed")),
              Map.entry("charged_back", t(Set.of("confirmed", "paid_out"), "charged_back")),
              Map.entry(
                  "cancelled",
                  t(Set.of("pending_customer_approval", "pending_submission"), "cancelled")),
              // A retried payment is submitted again.
              Map.entry("resubmission_requested", t(Set.of("failed"), "pending_submission"))),
          "mandates",
          Map.ofEntries(
              Map.entry(
                  "customer_approval_granted",
                  t(Set.of("pending_customer_approval"), "pending_submission")),
              Map.entry(
                  "submitted",
                  t(Set.of("pending_customer_approval", "pending_submission"), "submitted")),
              Map.entry("active", t(Set.of("pending_submission", "submitted"), "active")),
              Map.entry(
                  "reinstated",
                  t(
                      Set.of("cancelled", "expired", "failed", "pending_submission", "submitted"),
                      "active")),
              Map.entry(
                  "cancelled",
                  t(
                      Set.of(
                          "pending_customer_approval",
                          "pending_submission",
                          "submitted",
                          "active",
                          "suspended_by_payer"),
                      "cancelled")),
              Map.entry(
                  "failed",
                  t(
                      Set.of(
                          "pending_customer_approval", "pending_submission", "submitted", "active"),
                      "failed")),
              Map.entry(
                  "expired",
                  t(
                      Set.of("pending_submission", "submitted", "active", "suspended_by_payer"),
                      "expired")),
              Map.entry(
                  "resubmission_requested",
                  t(Set.of("cancelled", "expired", "failed"), "pending_submission")),
              Map.entry(
                  "consumed", t(Set.of("pending_submission", "submitted", "active"), "consumed")),
              Map.entry(
                  "blocked",
                  t(
                      Set.of("pending_customer_approval", "pending_submission", "submitted"),
                      "blocked")),
              Map.entry(
                  "replaced", t(Set.of("pending_submission", "submitted", "active"), "cancelled"))),
          "refunds",
          Map.of(
              "submitted", t(Set.of("created", "pending_submission"), "submitted"),
              "paid", t(Set.of("created", "pending_submission", "submitted"), "paid"),
              "failed", t(Set.of("created", "pending_submission", "submitted"), "failed"),
              "funds_returned", t(Set.of("paid"), "funds_returned")),
          "subscriptions",
          Map.of(
              "customer_approval_granted", t(Set.of("pending_customer_approval"), "active"),
              "customer_approval_denied",
                  t(Set.of("pending_customer_approval"), "customer_approval_denied"),
              "paused", t(Set.of("active"), "paused"),
              "resumed", t(Set.of("paused"), "active"),
              "finished", t(Set.of("active"), "finished"),
              "cancelled", t(Set.of("pending_customer_approval", "active", "paused"), "cancelled")),
          "instalment_schedules",
          Map.of(
              "creation_failed", t(Set.of("pending"), "creation_failed"),
              "completed", t(Set.of("pending", "active"), "completed"),
              "errored", t(Set.of("pending", "active"), "errored"),
              "cancelled", t(Set.of("pending", "active", "errored"), "cancelled"),
              "resumed", t(Set.of("errored"), "active")),
          "billing_requests",
          Map.of(
              "fulfilled", t(Set.of("pending", "ready_to_fulfil"), "fulfilled"),
              "cancelled", t(Set.of("pending", "ready_to_fulfil"), "cancelled"),
              "failed", t(Set.of("pending", "ready_to_fulfil"), "failed")));

  private Transitions() {}

  /** The transition of an event, or {@code null} when it changes no status. */
  static Transition of(String resourceType, String action) {
    var transitions = BY_RESOURCE.get(resourceType);
    return transitions == null ? null : transitions.get(action);
  }

  /** Whether the service knows the action at all (counted apart from the ones it does not). */
  static boolean changesStatus(String resourceType, String action) {
    return of(resourceType, action) != null;
  }

  private static Transition t(Set<String> from, String to) {
    return new Transition(from, to);
  }
}
