package io.paybridge.simulator.payments;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /payments} and {@code /payouts}: request parsing over {@link Payments}. */
public final class PaymentsApi {
  private final State state;
  private final Mandates mandates;
  private final Payments payments;
  private final ResourceApi<Payment> paymentsApi;
  private final ResourceApi<Payout> payoutsApi;

  public PaymentsApi(State state, Mandates mandates, Payments payments) {
    this.state = state;
    this.mandates = mandates;
    this.payments = payments;
    this.paymentsApi =
        ResourceApi.of(payments.payments)
            .links(p -> p.links)
            .creates(this::create)
            .updates(this::update)
            .action("cancel", (p, r) -> payments.cancel(p, Json.validMetadata(r.data(), "data")))
            .action("retry", this::retry)
            .linkFilters("mandate", "creditor", "subscription")
            .filter("customer", (p, value) -> value.equals(customerOf(p)))
            .anyOfFilter("status", p -> p.status)
            .filter("scheme", (p, value) -> value.equals(p.scheme))
            .filter("currency", (p, value) -> value.equals(p.currency))
            .listCheck(
                r -> {
                  if (r.queryParam("customer") != null && r.queryParam("creditor") != null) {
                    new ApiException.Validation("query")
                        .field("customer", "can't be combined with creditor")
                        .throwIfInvalid();
                  }
                })
            .listOrder(PaymentsApi::sorted);
    this.payoutsApi =
        ResourceApi.of(payments.payouts)
            .links(p -> p.links)
            .filter("status", (p, value) -> value.equals(p.status))
            .filter("currency", (p, value) -> value.equals(p.currency));
  }

  public ResourceApi<Payment> payments() {
    return paymentsApi;
  }

  public ResourceApi<Payout> payouts() {
    return payoutsApi;
  }

  public void routes(Router router, Idempotency idempotency) {
    paymentsApi.routes(router, idempotency);
    payoutsApi.routes(router, idempotency);
    router.add("GET", "/payout_items", this::payoutItems);
  }

  /**
   * {@code GET /payout_items?payout=PO…} (docs/gocardless/API.md §4.7): per payment in the payout,
   * {@code payment_paid_out} (its amount), {@code gocardless_fee} and {@code app_fee} (negative),
   * amounts as decimal strings in major units as GoCardless gives them; all items on one page.
   */
  private ApiResponse payoutItems(ApiRequest r) {
    String payoutId = r.queryParam("payout");
    if (payoutId == null) {
      new ApiException.Validation("query").field("payout", "is required").throwIfInvalid();
    }
    Payout payout = state.payouts.find(r.organisationId(), payoutId);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Payment p : state.payments.list(x -> payout.id.equals(x.links.get("payout"))).reversed()) {
      items.add(item("payment_paid_out", p.amount, p));
      items.add(item("gocardless_fee", -Payments.fee(p), p));
      if (p.appFee != null && p.appFee > 0) {
        items.add(item("app_fee", -p.appFee, p));
      }
    }
    Map<String, Object> cursors = new LinkedHashMap<>();
    cursors.put("before", null);
    cursors.put("after", null);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("cursors", cursors);
    meta.put("limit", Math.max(Pagination.limit(r), items.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("payout_items", items);
    body.put("meta", meta);
    return ApiResponse.of(200, body);
  }

  private static Map<String, Object> item(String type, long minorUnits, Payment p) {
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("payment", p.id);
    if (p.links.get("mandate") != null) {
      links.put("mandate", p.links.get("mandate"));
    }
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("amount", BigDecimal.valueOf(minorUnits, 2).toPlainString());
    item.put("links", links);
    item.put("taxes", List.of());
    item.put("type", type);
    return item;
  }

  /** {@code charge_date[…]} ranges, then {@code sort_field}/{@code sort_direction}. */
  private static List<Payment> sorted(ApiRequest r, List<Payment> newestFirst) {
    List<Payment> inRange =
        newestFirst.stream()
            .filter(p -> Pagination.inRange(r, "charge_date", p.chargeDate))
            .toList();
    String sortField = r.queryParam("sort_field");
    if (sortField == null) {
      return inRange;
    }
    Comparator<Payment> order =
        switch (sortField) {
          case "charge_date" -> Comparator.comparing(p -> p.chargeDate);
          case "amount" -> Comparator.comparingLong(p -> p.amount);
          default -> {
            new ApiException.Validation("query")
                .field("sort_field", "must be one of charge_date, amount")
                .throwIfInvalid();
            yield null;
          }
        };
    if (!"asc".equals(r.queryParam("sort_direction"))) {
      order = order.reversed();
    }
    return inRange.stream().sorted(order).toList();
  }

  private String customerOf(Payment p) {
    String mandateId = p.links.get("mandate");
    Mandate m = mandateId == null ? null : state.mandates.get(mandateId);
    return m == null ? null : m.links.get("customer");
  }

  private Payment create(ApiRequest r) {
    JsonNode body = r.envelope("payments");
    ApiException.Validation v = new ApiException.Validation("payments");
    Mandate mandate = state.mandates.linked(body, "mandate", r.organisationId(), v);
    v.throwIfInvalid();
    Mandates.requireActive(mandate);
    Long amount = Json.number(body, "amount");
    if (amount == null) {
      v.field("amount", "is required");
    } else if (amount <= 0) {
      v.field("amount", "must be greater than 0");
    }
    String currency = Json.text(body, "currency");
    if (currency == null) {
      v.field("currency", "is required");
    } else if (!Banks.currencyOfScheme(mandate.scheme).equals(currency)) {
      v.field(
          "currency", "must be " + Banks.currencyOfScheme(mandate.scheme) + " for this mandate");
    }
    LocalDate chargeDate = chargeDate(Json.text(body, "charge_date"), mandate, v);
    String reference = Json.text(body, "reference");
    int maxReference = Banks.maxReferenceLength(mandate.scheme);
    if (reference != null && maxReference > 0 && reference.length() > maxReference) {
      v.field("reference", "is too long (maximum is " + maxReference + " characters)");
    }
    Long appFee = Json.number(body, "app_fee");
    if (appFee != null && !r.token().viaApp()) {
      v.field("app_fee", "can only be set when using an app's access token");
    } else if (appFee != null && amount != null && (appFee < 0 || appFee > amount)) {
      v.field("app_fee", "must be between 0 and the payment amount");
    }
    String psuInteractionType = Json.text(body, "psu_interaction_type");
    if (psuInteractionType != null
        && !psuInteractionType.equals("in_session")
        && !psuInteractionType.equals("off_session")) {
      v.field("psu_interaction_type", "must be one of in_session, off_session");
    }
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();

    Payment p = new Payment();
    p.psuInteractionType = psuInteractionType;
    p.amount = amount;
    p.appFee = appFee;
    p.currency = currency;
    p.chargeDate = Times.date(chargeDate);
    p.description = Json.text(body, "description");
    p.reference = reference;
    Boolean retry = Json.bool(body, "retry_if_possible");
    p.retryIfPossible = retry != null && retry;
    Boolean fasterAch = Json.bool(body, "faster_ach");
    p.fasterAch = fasterAch != null && fasterAch;
    if (metadata != null) {
      p.metadata = metadata;
    }
    return payments.create(mandate, p, metadata);
  }

  private void update(Payment p, JsonNode body) {
    Map<String, String> metadata = Json.validMetadata(body, "payments");
    if (metadata != null) {
      p.metadata = metadata;
    }
    Boolean retry = Json.bool(body, "retry_if_possible");
    if (retry != null) {
      p.retryIfPossible = retry;
    }
  }

  /**
   * {@code POST /payments/:id/actions/retry}. An {@code Idempotency-Key} that already retried this
   * payment answers 409 {@code idempotent_creation_conflict} (the payment as the conflicting
   * resource) and retries nothing: GoCardless documents keys on creates only (API.md §1.6), so a
   * caller must not rely on this; the simulator honours it so that a repeated call is never a
   * second retry here.
   */
  private Payment retry(Payment p, ApiRequest r) {
    String key = r.idempotencyKey();
    String scope =
        key == null || key.isBlank() ? null : r.organisationId() + " " + r.path() + " " + key;
    if (scope != null && state.idempotency.containsKey(scope)) {
      throw ApiException.idempotentCreationConflict(state.idempotency.get(scope).resourceId());
    }
    Mandate m = payments.retryableMandate(p);
    ApiException.Validation v = new ApiException.Validation("data");
    Map<String, String> metadata = Json.metadata(r.data(), null, v);
    LocalDate chargeDate = chargeDate(Json.text(r.data(), "charge_date"), m, v);
    v.throwIfInvalid();
    Payment retried = payments.retry(p, chargeDate, metadata);
    if (scope != null) {
      state.idempotency.put(scope, new State.IdempotentCreate(p.id, r.body().toString()));
    }
    return retried;
  }

  /**
   * A requested charge date, rolled forward to a working day and not before the mandate's next
   * possible charge date; that date when none is requested.
   */
  LocalDate chargeDate(String requested, Mandate m, ApiException.Validation v) {
    LocalDate earliest = mandates.nextPossibleChargeDate(m);
    if (requested == null) {
      return earliest;
    }
    try {
      LocalDate chargeDate = BankCalendar.of(m.scheme).rollForward(LocalDate.parse(requested));
      if (chargeDate.isBefore(earliest)) {
        v.field("charge_date", "must be on or after mandate's next_possible_charge_date");
      }
      return chargeDate;
    } catch (DateTimeParseException e) {
      v.field("charge_date", "is not a valid date (YYYY-MM-DD)");
      return earliest;
    }
  }
}
