package io.paybridge.billing.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.billing.merchant.Merchant;
import io.paybridge.billing.merchant.MerchantRepository;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.billing.projection.Views;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.BillingRequestFact;
import io.paybridge.platform.events.billing.MandateFact;
import io.paybridge.platform.events.billing.PaymentFact;
import io.paybridge.platform.events.billing.RefundFact;
import io.paybridge.platform.gocardless.GoCardless;
import io.paybridge.platform.gocardless.GoCardlessFailure;
import io.paybridge.platform.outbox.TransientFailureException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies GoCardless events to their projections and publishes the facts they stand for; runs
 * inside the idempotent consumer's transaction (each event is applied once), for one event or a
 * poll's.
 *
 * <p>Forward-only by event time and GoCardless's documented transitions ({@link Transitions}): an
 * event older than the one that set the status changes no status; a transition the projection
 * cannot explain makes it fetch the resource, as does a resource it has never seen. A fact is
 * published for every event that stands for one, stale or not: the event happened.
 */
@Component
class ProjectionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProjectionHandler.class);

  private final MerchantRepository merchants;
  private final ProjectionRepository projections;
  private final GoCardless gocardless;
  private final Views views;
  private final BillingFacts facts;
  private final MeterRegistry meters;
  private final Clock clock;
  private final ProjectionProperties properties;

  ProjectionHandler(
      MerchantRepository merchants,
      ProjectionRepository projections,
      GoCardless gocardless,
      Views views,
      BillingFacts facts,
      MeterRegistry meters,
      Clock clock,
      ProjectionProperties properties) {
    this.merchants = merchants;
    this.projections = projections;
    this.gocardless = gocardless;
    this.views = views;
    this.facts = facts;
    this.meters = meters;
    this.clock = clock;
    this.properties = properties;
  }

  /** A GoCardless event and the organisation it belongs to. */
  record Delivered(GoCardlessEvent event, String organisationId) {}

  void apply(GoCardlessEvent event, String organisationId) {
    applyAll(List.of(new Delivered(event, organisationId)));
  }

  /**
   * Applies events in the order given, in the caller's transaction, as {@link #apply} would one
   * after the other; their resources' rows are locked together first and the changed rows and the
   * facts written together at the end ({@link ProjectionBatch}).
   */
  void applyAll(List<Delivered> events) {
    var batch = new ProjectionBatch(merchants, projections);
    var idsByKind = new EnumMap<Kind, Set<String>>(Kind.class);
    for (var delivered : events) {
      Kind kind = kindOf(delivered.event().resourceType());
      String resourceId = kind == null ? null : delivered.event().link(resourceLink(kind));
      if (resourceId != null) {
        idsByKind.computeIfAbsent(kind, k -> new HashSet<>()).add(resourceId);
      }
    }
    idsByKind.forEach(batch::lockAll);
    for (var delivered : events) {
      apply(delivered.event(), delivered.organisationId(), batch);
    }
    batch.flush(facts);
  }

  private void apply(GoCardlessEvent event, String organisationId, ProjectionBatch batch) {
    Kind kind = kindOf(event.resourceType());
    String resourceId = kind == null ? null : event.link(resourceLink(kind));
    Optional<Merchant> announced =
        organisationId == null ? Optional.empty() : batch.merchantOf(organisationId);
    Optional<Merchant> merchant = announced.filter(Merchant::connected);
    if (kind == null || resourceId == null) {
      count(event, kind == null ? "not_projected" : "no_resource");
      return;
    }
    if (merchant.isEmpty()) {
      boolean known = announced.isPresent();
      if (organisationId != null
          && !known
          && event.createdAt().isAfter(clock.instant().minus(properties.unknownMerchantGrace()))) {
        // Its merchants.connection fact may simply not have been read yet: wait for it.
        throw new TransientFailureException(
            "No merchant known yet for organisation " + organisationId,
            Duration.ofSeconds(2),
            null);
      }
      count(event, known ? "not_connected" : "unknown_merchant");
      return;
    }
    Optional<Projected> held = batch.lock(kind, resourceId);
    Projected current;
    String outcome;
    if (held.isEmpty()) {
      Optional<Projected> fetched = fetch(kind, resourceId, merchant.get());
      if (fetched.isEmpty()) {
        count(event, "unfetchable");
        return;
      }
      current = withStatus(fetched.get(), fetched.get().status(), event);
      outcome = "fetched";
    } else {
      current = held.get();
      var transition = Transitions.of(event.resourceType(), event.action());
      if (transition == null) {
        outcome = "no_status";
      } else if (current.lastEventAt() != null
          && event.createdAt().isBefore(current.lastEventAt())) {
        outcome = "stale";
      } else if (transition.from().contains(current.status())
          || transition.to().equals(current.status())) {
        current = withStatus(current, transition.to(), event);
        outcome = "applied";
      } else {
        // GoCardless's documents do not explain this move from here: ask GoCardless.
        var fetched = fetch(kind, resourceId, merchant.get());
        if (fetched.isPresent()) {
          current = withStatus(current, fetched.get().status(), event);
        }
        outcome = "unexplained";
      }
    }
    ObjectNode view = current.view();
    view.put("status", current.status());
    details(event, view);
    batch.save(current);
    count(event, outcome);
    fact(event, current).ifPresent(batch::publish);
  }

  /** Failure details and links an event carries, kept whatever the order (the newest wins). */
  private static void details(GoCardlessEvent event, ObjectNode view) {
    switch (event.resourceType() + "." + event.action()) {
      case "payments.failed",
          "payments.charged_back",
          "mandates.failed",
          "mandates.cancelled",
          "mandates.expired" -> {
        var previous = view.get("failure");
        if (previous == null
            || previous.isNull()
            || event.createdAt().toString().compareTo(previous.path("at").asString()) >= 0) {
          ObjectNode failure = view.putObject("failure");
          failure.put("action", event.action());
          failure.put("cause", event.detail("cause"));
          failure.put("reasonCode", event.detail("reason_code"));
          failure.put("description", event.detail("description"));
          if (event.willAttemptRetry() != null) {
            failure.put("willAttemptRetry", event.willAttemptRetry());
          }
          failure.put("at", event.createdAt().toString());
        }
      }
      case "billing_requests.fulfilled" -> {
        if (event.link("mandate_request_mandate") != null) {
          view.put("mandateId", event.link("mandate_request_mandate"));
        }
        if (event.link("payment_request_payment") != null) {
          view.put("paymentId", event.link("payment_request_payment"));
        }
      }
      case "payments.paid_out" -> {
        if (event.link("payout") != null) {
          view.put("payoutId", event.link("payout"));
        }
      }
      default -> {}
    }
  }

  private Optional<BillingFact> fact(GoCardlessEvent e, Projected p) {
    String m = p.merchantId();
    String t = p.team();
    String o = p.organisationId();
    var view = p.view();
    long amount = view.path("amount").asLong();
    String currency = view.path("currency").asString(null);
    String mandate = view.path("mandateId").asString(null);
    BillingFact fact =
        switch (e.resourceType() + "." + e.action()) {
          case "payments.created" ->
              new PaymentFact.PaymentCreated(
                  m,
                  t,
                  o,
                  p.id(),
                  mandate,
                  amount,
                  currency,
                  view.path("scheme").asString(null),
                  date(view.path("chargeDate").asString(null)),
                  e.createdAt(),
                  e.id());
          case "billing_requests.created" ->
              new BillingRequestFact.BillingRequestCreated(
                  m,
                  t,
                  o,
                  p.id(),
                  view.path("mandateRequest").isObject(),
                  requestedScheme(view),
                  e.createdAt(),
                  e.id());
          case "payments.confirmed", "payments.chargeback_cancelled" ->
              new PaymentFact.PaymentConfirmed(
                  m, t, o, p.id(), mandate, amount, currency, e.createdAt(), e.id());
          case "payments.failed" ->
              new PaymentFact.PaymentFailed(
                  m,
                  t,
                  o,
                  p.id(),
                  mandate,
                  amount,
                  currency,
                  e.detail("cause"),
                  e.detail("reason_code"),
                  e.detail("description"),
                  e.willAttemptRetry(),
                  e.createdAt(),
                  e.id());
          case "payments.paid_out" ->
              new PaymentFact.PaymentPaidOut(
                  m,
                  t,
                  o,
                  p.id(),
                  mandate,
                  amount,
                  currency,
                  e.link("payout"),
                  e.createdAt(),
                  e.id());
          case "payments.cancelled" ->
              new PaymentFact.PaymentCancelled(
                  m,
                  t,
                  o,
                  p.id(),
                  mandate,
                  amount,
                  currency,
                  e.detail("cause"),
                  e.createdAt(),
                  e.id());
          case "payments.charged_back" ->
              new PaymentFact.PaymentChargedBack(
                  m,
                  t,
                  o,
                  p.id(),
                  mandate,
                  amount,
                  currency,
                  e.detail("cause"),
                  e.detail("reason_code"),
                  e.detail("description"),
                  e.createdAt(),
                  e.id());
          case "mandates.active", "mandates.reinstated" ->
              new MandateFact.MandateActive(m, t, o, p.id(), e.createdAt(), e.id());
          case "mandates.cancelled" ->
              new MandateFact.MandateCancelled(
                  m,
                  t,
                  o,
                  p.id(),
                  e.detail("cause"),
                  e.detail("reason_code"),
                  e.detail("description"),
                  e.createdAt(),
                  e.id());
          case "mandates.expired" ->
              new MandateFact.MandateExpired(
                  m,
                  t,
                  o,
                  p.id(),
                  e.detail("cause"),
                  e.detail("reason_code"),
                  e.detail("description"),
                  e.createdAt(),
                  e.id());
          case "mandates.failed" ->
              new MandateFact.MandateFailed(
                  m,
                  t,
                  o,
                  p.id(),
                  e.detail("cause"),
                  e.detail("reason_code"),
                  e.detail("description"),
                  e.createdAt(),
                  e.id());
          case "billing_requests.fulfilled" ->
              new BillingRequestFact.BillingRequestFulfilled(
                  m,
                  t,
                  o,
                  p.id(),
                  e.link("mandate_request_mandate"),
                  e.link("payment_request_payment"),
                  e.createdAt(),
                  e.id());
          case "billing_requests.cancelled" ->
              new BillingRequestFact.BillingRequestCancelled(
                  m, t, o, p.id(), e.createdAt(), e.id());
          case "refunds.paid" ->
              new RefundFact.RefundPaid(
                  m,
                  t,
                  o,
                  p.id(),
                  view.path("paymentId").asString(null),
                  amount,
                  currency,
                  e.createdAt(),
                  e.id());
          default -> RecurringFacts.of(e, p);
        };
    return Optional.ofNullable(fact);
  }

  /**
   * A date as GoCardless writes it ({@code YYYY-MM-DD}); {@code null} when absent or unreadable.
   */
  private static LocalDate date(String value) {
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The scheme a billing request names: its mandate request's, else its payment request's. */
  private static String requestedScheme(ObjectNode view) {
    String mandate = view.path("mandateRequest").path("scheme").asString(null);
    return mandate != null ? mandate : view.path("paymentRequest").path("scheme").asString(null);
  }

  private Optional<Projected> fetch(Kind kind, String id, Merchant merchant) {
    try {
      return Optional.of(
          switch (kind) {
            case BILLING_REQUEST ->
                views.billingRequest(
                    gocardless.read(merchant.id(), c -> c.billingRequests().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
            case MANDATE ->
                views.mandate(
                    gocardless.read(merchant.id(), c -> c.mandates().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
            case PAYMENT ->
                views.payment(
                    gocardless.read(merchant.id(), c -> c.payments().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
            case REFUND ->
                views.refund(
                    gocardless.read(merchant.id(), c -> c.refunds().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
            case SUBSCRIPTION ->
                views.subscription(
                    gocardless.read(merchant.id(), c -> c.subscriptions().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
            case INSTALMENT_SCHEDULE ->
                views.instalmentSchedule(
                    gocardless.read(merchant.id(), c -> c.instalmentSchedules().get(id).execute()),
                    merchant.id(),
                    merchant.team(),
                    merchant.organisationId());
          });
    } catch (GoCardlessFailure.Temporary e) {
      throw new TransientFailureException(
          "GoCardless unavailable while fetching " + kind.label() + " " + id, e.retryAfter(), e);
    } catch (GoCardlessFailure.NotFound
        | GoCardlessFailure.ReconnectionRequired
        | GoCardlessFailure.MerchantNotConnected e) {
      log.warn(
          "{} {} of merchant {} cannot be fetched: {}",
          kind.label(),
          id,
          merchant.id(),
          e.getMessage());
      return Optional.empty();
    }
  }

  private static Projected withStatus(Projected p, String status, GoCardlessEvent event) {
    return new Projected(
        p.kind(),
        p.id(),
        p.merchantId(),
        p.team(),
        p.organisationId(),
        status,
        p.view(),
        p.createdAt(),
        event.createdAt());
  }

  private void count(GoCardlessEvent event, String outcome) {
    meters
        .counter(
            "paybridge.billing.gocardless.events",
            "resource_type",
            event.resourceType(),
            "action",
            event.action(),
            "outcome",
            outcome)
        .increment();
  }

  private static Kind kindOf(String resourceType) {
    return switch (resourceType) {
      case "billing_requests" -> Kind.BILLING_REQUEST;
      case "mandates" -> Kind.MANDATE;
      case "payments" -> Kind.PAYMENT;
      case "refunds" -> Kind.REFUND;
      case "subscriptions" -> Kind.SUBSCRIPTION;
      case "instalment_schedules" -> Kind.INSTALMENT_SCHEDULE;
      default -> null;
    };
  }

  private static String resourceLink(Kind kind) {
    return switch (kind) {
      case BILLING_REQUEST -> "billing_request";
      case MANDATE -> "mandate";
      case PAYMENT -> "payment";
      case REFUND -> "refund";
      case SUBSCRIPTION -> "subscription";
      case INSTALMENT_SCHEDULE -> "instalment_schedule";
    };
  }
}
