package io.paybridge.simulator.payments;

import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Organisation;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.MandatesApi;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code /payments}, {@code /payouts} and the payment state machine (docs/gocardless/API.md §4.4).
 */
public final class PaymentsApi {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  /** Maximum retries of one payment (docs/gocardless/API.md §4.4). */
  public static final int MAX_RETRIES = 3;

  /** A bank failure: simplified {@code cause}, scheme reason code and description. */
  public record Failure(String cause, String reasonCode, String description) {
    public static Failure insufficientFunds(String scheme) {
      return new Failure(
          "insufficient_funds",
          "bacs".equals(scheme) ? "ARUDD-0" : "AM04",
          "The customer's account had insufficient funds to make this payment.");
    }
  }

  private final State state;
  private final Idempotency idempotency;
  private final MandatesApi mandates;

  public PaymentsApi(State state, Idempotency idempotency, MandatesApi mandates) {
    this.state = state;
    this.idempotency = idempotency;
    this.mandates = mandates;
    mandates.onMandateStopped(this::cancelPaymentsOf);
  }

  public void routes(Router router) {
    router.add(
        "POST",
        "/payments",
        r ->
            idempotency.create(
                r, "payments", () -> createFromApi(r), id -> state.payments.get(id), p -> p));
    router.add("GET", "/payments", this::list);
    router.add(
        "GET",
        "/payments/:identity",
        r -> ApiResponse.ok("payments", state.payments.find(r.organisationId(), r.id())));
    router.add("PUT", "/payments/:identity", this::update);
    router.add("POST", "/payments/:identity/actions/cancel", this::cancelFromApi);
    router.add("POST", "/payments/:identity/actions/retry", this::retryFromApi);

    router.add(
        "GET",
        "/payouts",
        r -> {
          String status = r.queryParam("status");
          String currency = r.queryParam("currency");
          return ApiResponse.of(
              200,
              Pagination.page(
                  "payouts",
                  state.payouts.list(
                      p ->
                          p.organisationId.equals(r.organisationId())
                              && (status == null || status.equals(p.status))
                              && (currency == null || currency.equals(p.currency))
                              && Pagination.inRange(r, "created_at", p.createdAt)),
                  r,
                  p -> p));
        });
    router.add(
        "GET",
        "/payouts/:identity",
        r -> ApiResponse.ok("payouts", state.payouts.find(r.organisationId(), r.id())));
  }

  private ApiResponse list(ApiRequest r) {
    String mandate = r.queryParam("mandate");
    String customer = r.queryParam("customer");
    String creditor = r.queryParam("creditor");
    String status = r.queryParam("status");
    String scheme = r.queryParam("scheme");
    String currency = r.queryParam("currency");
    String subscription = r.queryParam("subscription");
    if (customer != null && creditor != null) {
      new ApiException.Validation("query")
          .field("customer", "can't be combined with creditor")
          .throwIfInvalid();
    }
    List<String> statuses = status == null ? null : Arrays.asList(status.split(","));
    List<Payment> payments =
        state.payments.list(
            p ->
                p.organisationId.equals(r.organisationId())
                    && (mandate == null || mandate.equals(p.links.get("mandate")))
                    && (customer == null || customer.equals(customerOf(p)))
                    && (creditor == null || creditor.equals(p.links.get("creditor")))
                    && (statuses == null || statuses.contains(p.status))
                    && (scheme == null || scheme.equals(p.scheme))
                    && (currency == null || currency.equals(p.currency))
                    && (subscription == null || subscription.equals(p.links.get("subscription")))
                    && Pagination.inRange(r, "created_at", p.createdAt)
                    && Pagination.inRange(r, "charge_date", p.chargeDate));
    String sortField = r.queryParam("sort_field");
    if (sortField != null) {
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
      payments = payments.stream().sorted(order).toList();
    }
    return ApiResponse.of(200, Pagination.page("payments", payments, r, p -> p));
  }

  private String customerOf(Payment p) {
    String mandateId = p.links.get("mandate");
    Mandate m = mandateId == null ? null : state.mandates.get(mandateId);
    return m == null ? null : m.links.get("customer");
  }

  private Payment createFromApi(ApiRequest r) {
    JsonNode body = r.envelope("payments");
    ApiException.Validation v = new ApiException.Validation("payments");
    JsonNode links = Json.object(body, "links");
    String mandateId = links == null ? null : Json.text(links, "mandate");
    Mandate mandate = mandateId == null ? null : state.mandates.get(mandateId);
    if (mandate == null || !mandate.organisationId.equals(r.organisationId())) {
      v.field("links.mandate", mandateId == null ? "is required" : "was not found");
      v.throwIfInvalid();
    }
    if (mandate.isInactive()) {
      throw ApiException.invalidState(
          "mandate_is_inactive",
          "The mandate is " + mandate.status + ", so it can't take payments");
    }
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
    LocalDate earliest = mandates.nextPossibleChargeDate(mandate);
    LocalDate chargeDate = earliest;
    String requested = Json.text(body, "charge_date");
    if (requested != null) {
      try {
        chargeDate = Times.rollForward(LocalDate.parse(requested));
        if (chargeDate.isBefore(earliest)) {
          v.field("charge_date", "must be on or after mandate's next_possible_charge_date");
        }
      } catch (DateTimeParseException e) {
        v.field("charge_date", "is not a valid date (YYYY-MM-DD)");
      }
    }
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
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();

    Payment p = new Payment();
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = r.organisationId();
    p.amount = amount;
    p.appFee = appFee;
    p.currency = currency;
    p.chargeDate = Times.date(chargeDate);
    p.description = Json.text(body, "description");
    p.reference = reference;
    p.scheme = mandate.scheme;
    Boolean retry = Json.bool(body, "retry_if_possible");
    p.retryIfPossible = retry != null && retry;
    Boolean fasterAch = Json.bool(body, "faster_ach");
    p.fasterAch = fasterAch != null && fasterAch;
    if (metadata != null) {
      p.metadata = metadata;
    }
    p.links.put("creditor", mandate.links.get("creditor"));
    p.links.put("mandate", mandate.id);
    Customer customer = state.customers.get(mandate.links.get("customer"));
    p.fate = customer == null ? null : customer.givenName;
    state.payments.add(p);
    emit(p, "created", "api", "payment_created", "Payment created via the API.", metadata);
    return p;
  }

  /** An instant bank payment created by fulfilling a billing request's payment request. */
  public Payment createInstant(
      String organisationId,
      long amount,
      Long appFee,
      String currency,
      String scheme,
      String description,
      String reference,
      Map<String, String> metadata,
      String customerGivenName) {
    Creditor creditor = state.creditorOf(organisationId);
    Payment p = new Payment();
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = organisationId;
    p.amount = amount;
    p.appFee = appFee;
    p.currency = currency;
    p.scheme = scheme;
    p.description = description;
    p.reference = reference;
    p.chargeDate = Times.date(Times.rollForward(state.today()));
    p.instant = true;
    p.fate = customerGivenName;
    if (metadata != null) {
      p.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    p.links.put("creditor", creditor.id);
    state.payments.add(p);
    emit(p, "created", "api", "payment_created", "Payment created via the API.", null);
    return p;
  }

  /** A Direct Debit payment on a mandate, created by a billing request (e.g. after fallback). */
  public Payment createOnMandate(
      Mandate mandate, long amount, Long appFee, String description, Map<String, String> metadata) {
    Payment p = new Payment();
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = mandate.organisationId;
    p.amount = amount;
    p.appFee = appFee;
    p.currency = Banks.currencyOfScheme(mandate.scheme);
    p.scheme = mandate.scheme;
    p.description = description;
    p.chargeDate = Times.date(mandates.nextPossibleChargeDate(mandate));
    if (metadata != null) {
      p.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    p.links.put("creditor", mandate.links.get("creditor"));
    p.links.put("mandate", mandate.id);
    Customer customer = state.customers.get(mandate.links.get("customer"));
    p.fate = customer == null ? null : customer.givenName;
    state.payments.add(p);
    emit(p, "created", "api", "payment_created", "Payment created via the API.", null);
    return p;
  }

  private ApiResponse update(ApiRequest r) {
    Payment p = state.payments.find(r.organisationId(), r.id());
    JsonNode body = r.envelope("payments");
    ApiException.Validation v = new ApiException.Validation("payments");
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    if (metadata != null) {
      p.metadata = metadata;
    }
    Boolean retry = Json.bool(body, "retry_if_possible");
    if (retry != null) {
      p.retryIfPossible = retry;
    }
    return ApiResponse.ok("payments", p);
  }

  private ApiResponse cancelFromApi(ApiRequest r) {
    Payment p = state.payments.find(r.organisationId(), r.id());
    if (!"pending_submission".equals(p.status) && !"pending_customer_approval".equals(p.status)) {
      throw ApiException.invalidState(
          "cancellation_failed", "This payment is " + p.status + " and can no longer be cancelled");
    }
    ApiException.Validation v = new ApiException.Validation("data");
    Map<String, String> metadata = Json.metadata(r.data(), null, v);
    v.throwIfInvalid();
    p.status = "cancelled";
    emit(p, "cancelled", "api", "payment_cancelled", "Payment cancelled via the API.", metadata);
    return ApiResponse.ok("payments", p);
  }

  private ApiResponse retryFromApi(ApiRequest r) {
    Payment p = state.payments.find(r.organisationId(), r.id());
    if (!"failed".equals(p.status)) {
      throw ApiException.invalidState(
          "retry_failed", "This payment is " + p.status + "; only failed payments can be retried");
    }
    if (p.instant) {
      throw ApiException.invalidState("retry_failed", "Instant payments can't be retried");
    }
    Mandate m = state.mandates.get(p.links.get("mandate"));
    if (m == null || m.isInactive()) {
      throw ApiException.invalidState(
          "retry_failed", "The payment's mandate is not active, so the payment can't be retried");
    }
    if (p.retries >= MAX_RETRIES) {
      throw ApiException.invalidState(
          "retry_failed", "This payment has already been retried " + MAX_RETRIES + " times");
    }
    ApiException.Validation v = new ApiException.Validation("data");
    Map<String, String> metadata = Json.metadata(r.data(), null, v);
    LocalDate earliest = mandates.nextPossibleChargeDate(m);
    LocalDate chargeDate = earliest;
    String requested = Json.text(r.data(), "charge_date");
    if (requested != null) {
      try {
        chargeDate = Times.rollForward(LocalDate.parse(requested));
        if (chargeDate.isBefore(earliest)) {
          v.field("charge_date", "must be on or after mandate's next_possible_charge_date");
        }
      } catch (DateTimeParseException e) {
        v.field("charge_date", "is not a valid date (YYYY-MM-DD)");
      }
    }
    v.throwIfInvalid();
    resubmit(
        p, chargeDate, "api", "payment_retried", "Payment retry requested via the API.", metadata);
    return ApiResponse.ok("payments", p);
  }

  private void resubmit(
      Payment p,
      LocalDate chargeDate,
      String origin,
      String cause,
      String description,
      Map<String, String> metadata) {
    p.retries++;
    p.status = "pending_submission";
    p.chargeDate = Times.date(chargeDate);
    p.links.remove("payout");
    emit(p, "resubmission_requested", origin, cause, description, metadata);
  }

  /** Cancels the payments a stopped mandate can no longer collect. */
  private void cancelPaymentsOf(Mandate m, String cause) {
    for (Payment p : state.payments.list(x -> m.id.equals(x.links.get("mandate")))) {
      if ("pending_submission".equals(p.status) || "pending_customer_approval".equals(p.status)) {
        p.status = "cancelled";
        emit(
            p,
            "cancelled",
            "gocardless",
            cause,
            "The mandate for this payment was cancelled, so the payment was cancelled.",
            null);
      }
    }
  }

  // ---- transitions driven by time and scenario simulators ----

  /** Date on which a pending payment is submitted to the banks. */
  public LocalDate submitOn(Payment p) {
    if (p.instant) {
      return p.chargeDate();
    }
    return Times.subtractWorkingDays(p.chargeDate(), Math.min(2, Banks.leadDays(p.scheme)));
  }

  public LocalDate paidOutOn(Payment p) {
    return Times.addWorkingDays(p.chargeDate(), p.instant ? 1 : 2);
  }

  public void submit(Payment p) {
    p.status = "submitted";
    emit(
        p,
        "submitted",
        "gocardless",
        "payment_submitted",
        "Payment submitted to the banks. As a result, it can no longer be cancelled." + SANDBOX,
        null);
  }

  public void confirm(Payment p) {
    p.status = "confirmed";
    emit(
        p,
        "confirmed",
        "gocardless",
        "payment_confirmed",
        "Enough time has passed since the payment was submitted for the banks to return an error,"
            + " so this payment is now confirmed."
            + SANDBOX,
        null);
  }

  /** Pays the payment out: adds it to the creditor's pending payout for the next working day. */
  public void payOut(Payment p) {
    Payout payout = payoutFor(p);
    long fee = p.instant ? 20 : Math.min(20 + p.amount / 100, 400);
    long deducted = fee + (p.appFee == null ? 0 : p.appFee);
    payout.amount += p.amount - deducted;
    payout.deductedFees += deducted;
    p.status = "paid_out";
    p.links.put("payout", payout.id);
    state
        .event(p.organisationId, "payments", "paid_out")
        .link("payment", p.id)
        .link("payout", payout.id)
        .origin("gocardless")
        .cause("payment_paid_out")
        .description("The payment has been paid out by GoCardless." + SANDBOX)
        .resourceMetadata(p.metadata)
        .emit();
  }

  private Payout payoutFor(Payment p) {
    LocalDate arrival = Times.addWorkingDays(state.today(), 1);
    for (Payout existing : state.payouts.list(x -> x.organisationId.equals(p.organisationId))) {
      if ("pending".equals(existing.status)
          && existing.currency.equals(p.currency)
          && existing.payoutDate.equals(arrival)) {
        return existing;
      }
    }
    Creditor creditor = state.creditorOf(p.organisationId);
    Payout payout = new Payout();
    payout.id = state.ids.next("PO");
    payout.createdAt = state.nowIso();
    payout.organisationId = p.organisationId;
    payout.currency = p.currency;
    payout.payoutDate = arrival;
    payout.arrivalDate = Times.date(arrival);
    payout.reference = creditor.bankReferencePrefix + "-" + payout.id.substring(4);
    payout.fx.put("fx_currency", null);
    payout.fx.put("fx_amount", null);
    payout.fx.put("exchange_rate", null);
    payout.fx.put("estimated_exchange_rate", null);
    payout.links.put("creditor", creditor.id);
    String account = creditor.links.get("default_" + p.currency.toLowerCase() + "_payout_account");
    payout.links.put(
        "creditor_bank_account",
        account != null ? account : creditor.links.values().iterator().next());
    return state.payouts.add(payout);
  }

  public void payoutPaid(Payout payout) {
    payout.status = "paid";
    state
        .event(payout.organisationId, "payouts", "paid")
        .link("payout", payout.id)
        .origin("gocardless")
        .cause("payout_paid")
        .description(
            "GoCardless has transferred the payout to the creditor's bank account." + SANDBOX)
        .resourceMetadata(payout.metadata)
        .emit();
  }

  /**
   * The bank returned the collection. With {@code retry_if_possible} (Success+) and retries left,
   * GoCardless retries it by itself: {@code will_attempt_retry} is true and a {@code
   * resubmission_requested} event follows.
   */
  public void fail(Payment p, Failure failure) {
    boolean late = "confirmed".equals(p.status) || "paid_out".equals(p.status);
    boolean willRetry = !late && !p.instant && p.retryIfPossible && p.retries < MAX_RETRIES;
    Mandate m = p.links.get("mandate") == null ? null : state.mandates.get(p.links.get("mandate"));
    if (m != null && m.isInactive()) {
      willRetry = false;
    }
    p.status = "failed";
    State.EventBuilder event =
        state
            .event(p.organisationId, "payments", "failed")
            .link("payment", p.id)
            .origin("bank")
            .cause(failure.cause())
            .description(failure.description() + SANDBOX)
            .detail("scheme", p.scheme)
            .detail("reason_code", failure.reasonCode())
            .detail("will_attempt_retry", willRetry);
    if (!willRetry) {
      event.detail(
          "not_retried_reason",
          p.retryIfPossible && p.retries >= MAX_RETRIES ? "failure_filter_applied" : "other");
    }
    event.resourceMetadata(p.metadata).emit();
    if (willRetry) {
      LocalDate chargeDate =
          m == null ? Times.addWorkingDays(state.today(), 5) : mandates.nextPossibleChargeDate(m);
      resubmit(
          p,
          chargeDate,
          "gocardless",
          "payment_autoretried",
          "The payment has been scheduled for an automatic retry." + SANDBOX,
          null);
    }
  }

  public void lateFailureSettled(Payment p) {
    emit(
        p,
        "late_failure_settled",
        "gocardless",
        "late_failure_settled",
        "This late failure has been debited from a payout." + SANDBOX,
        null);
  }

  public void chargeBack(Payment p) {
    p.status = "charged_back";
    state
        .event(p.organisationId, "payments", "charged_back")
        .link("payment", p.id)
        .origin("bank")
        .cause("authorisation_disputed")
        .description(
            "The customer has disputed that the amount taken differs from the amount they were"
                + " notified of."
                + SANDBOX)
        .detail("scheme", p.scheme)
        .detail("reason_code", "bacs".equals(p.scheme) ? "DDICA-1" : "MD06")
        .resourceMetadata(p.metadata)
        .emit();
  }

  public void chargebackSettled(Payment p) {
    emit(
        p,
        "chargeback_settled",
        "gocardless",
        "chargeback_settled",
        "This chargeback has been debited from a payout." + SANDBOX,
        null);
  }

  private void emit(
      Payment p,
      String action,
      String origin,
      String cause,
      String description,
      Map<String, String> metadata) {
    state
        .event(p.organisationId, "payments", action)
        .link("payment", p.id)
        .origin(origin)
        .cause(cause)
        .description(description)
        .metadata(metadata)
        .resourceMetadata(p.metadata)
        .emit();
  }

  /** The organisation a payment belongs to. */
  public Organisation organisationOf(Payment p) {
    return state.organisation(p.organisationId);
  }
}
