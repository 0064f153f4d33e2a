package io.paybridge.simulator.mandates;

import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/** {@code /mandates} and the mandate state machine (docs/gocardless/API.md §4.3). */
public final class MandatesApi {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  private final State state;
  private final Idempotency idempotency;

  /** Cancels the cancellable payments of a mandate that stopped (wired to the payments feature). */
  private BiConsumer<Mandate, String> onMandateStopped = (m, cause) -> {};

  public MandatesApi(State state, Idempotency idempotency) {
    this.state = state;
    this.idempotency = idempotency;
  }

  public void onMandateStopped(BiConsumer<Mandate, String> action) {
    this.onMandateStopped = action;
  }

  public void routes(Router router) {
    router.add(
        "POST",
        "/mandates",
        r ->
            idempotency.create(
                r,
                "mandates",
                () -> createFromApi(r),
                id -> render(state.mandates.get(id)),
                this::render));
    router.add("GET", "/mandates", this::list);
    router.add(
        "GET",
        "/mandates/:identity",
        r -> ApiResponse.ok("mandates", render(state.mandates.find(r.organisationId(), r.id()))));
    router.add(
        "PUT",
        "/mandates/:identity",
        r -> {
          Mandate m = state.mandates.find(r.organisationId(), r.id());
          ApiException.Validation v = new ApiException.Validation("mandates");
          Map<String, String> metadata = Json.metadata(r.envelope("mandates"), null, v);
          v.throwIfInvalid();
          if (metadata != null) {
            m.metadata = metadata;
          }
          return ApiResponse.ok("mandates", render(m));
        });
    router.add(
        "POST",
        "/mandates/:identity/actions/cancel",
        r -> {
          Mandate m = state.mandates.find(r.organisationId(), r.id());
          if (m.isInactive()) {
            throw ApiException.invalidState(
                "cancellation_failed",
                "Mandate is already " + m.status + " and can't be cancelled");
          }
          Map<String, String> metadata = actionMetadata(r);
          cancel(
              m,
              "api",
              "mandate_cancelled",
              "The mandate was cancelled at your request.",
              metadata);
          return ApiResponse.ok("mandates", render(m));
        });
    router.add(
        "POST",
        "/mandates/:identity/actions/reinstate",
        r -> {
          Mandate m = state.mandates.find(r.organisationId(), r.id());
          if (!"cancelled".equals(m.status) && !"expired".equals(m.status)) {
            throw ApiException.invalidState(
                "mandate_not_inactive", "Mandate is " + m.status + " and can't be reinstated");
          }
          if (m.resubmissions >= 10) {
            throw ApiException.invalidState(
                "mandate_not_inactive", "Mandate has been resubmitted the maximum number of times");
          }
          m.resubmissions++;
          m.reinstating = true;
          m.status = "pending_submission";
          m.submitOn = Times.addWorkingDays(state.today(), 1);
          m.activateOn = Times.addWorkingDays(m.submitOn, 2);
          state
              .event(m.organisationId, "mandates", "resubmission_requested")
              .link("mandate", m.id)
              .origin("api")
              .cause("resubmission_requested")
              .description("An attempt to reinstate this mandate was requested.")
              .metadata(actionMetadata(r))
              .resourceMetadata(m.metadata)
              .emit();
          return ApiResponse.ok("mandates", render(m));
        });
  }

  private Map<String, String> actionMetadata(ApiRequest r) {
    ApiException.Validation v = new ApiException.Validation("data");
    Map<String, String> metadata = Json.metadata(r.data(), null, v);
    v.throwIfInvalid();
    return metadata;
  }

  private ApiResponse list(ApiRequest r) {
    String customer = r.queryParam("customer");
    String bankAccount = r.queryParam("customer_bank_account");
    String creditor = r.queryParam("creditor");
    String reference = r.queryParam("reference");
    String scheme = r.queryParam("scheme");
    String mandateType = r.queryParam("mandate_type");
    String status = r.queryParam("status");
    List<String> statuses = status == null ? null : Arrays.asList(status.split(","));
    List<String> schemes = scheme == null ? null : Arrays.asList(scheme.split(","));
    return ApiResponse.of(
        200,
        Pagination.page(
            "mandates",
            state.mandates.list(
                m ->
                    m.organisationId.equals(r.organisationId())
                        && (customer == null || customer.equals(m.links.get("customer")))
                        && (bankAccount == null
                            || bankAccount.equals(m.links.get("customer_bank_account")))
                        && (creditor == null || creditor.equals(m.links.get("creditor")))
                        && (reference == null || reference.equals(m.reference))
                        && (schemes == null || schemes.contains(m.scheme))
                        && (mandateType == null || mandateType.equals(m.mandateType))
                        && (statuses == null || statuses.contains(m.status))
                        && Pagination.inRange(r, "created_at", m.createdAt)),
            r,
            this::render));
  }

  private Mandate createFromApi(ApiRequest r) {
    JsonNode body = r.envelope("mandates");
    ApiException.Validation v = new ApiException.Validation("mandates");
    JsonNode links = Json.object(body, "links");
    String bankAccountId = links == null ? null : Json.text(links, "customer_bank_account");
    CustomerBankAccount account =
        bankAccountId == null ? null : state.bankAccounts.get(bankAccountId);
    if (account == null || !account.organisationId.equals(r.organisationId())) {
      v.field(
          "links.customer_bank_account", bankAccountId == null ? "is required" : "was not found");
    } else if (!account.enabled) {
      v.field("links.customer_bank_account", "is disabled");
    }
    String scheme = Json.text(body, "scheme");
    if (scheme == null && account != null) {
      scheme = Banks.schemeFor(account.currency);
    }
    if (scheme != null
        && account != null
        && !Banks.currencyOfScheme(scheme).equals(account.currency)) {
      v.field("scheme", "is not supported for a " + account.currency + " bank account");
    }
    Map<String, String> metadata = Json.metadata(body, null, v);
    String reference = Json.text(body, "reference");
    v.throwIfInvalid();
    Mandate m = create(r.organisationId(), account, scheme, reference, metadata, null);
    m.authorisationSource = Json.text(body, "authorisation_source");
    return m;
  }

  /** Creates a {@code pending_submission} mandate and emits {@code mandates/created}. */
  public Mandate create(
      String organisationId,
      CustomerBankAccount account,
      String scheme,
      String reference,
      Map<String, String> metadata,
      String verifiedAt) {
    Creditor creditor = state.creditorOf(organisationId);
    Mandate m = new Mandate();
    m.id = state.ids.next("MD");
    m.createdAt = state.nowIso();
    m.organisationId = organisationId;
    m.scheme = scheme;
    m.reference =
        reference != null
            ? reference
            : creditor.bankReferencePrefix + "-" + m.id.substring(m.id.length() - 6);
    m.verifiedAt = verifiedAt;
    if (metadata != null) {
      m.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    m.links.put("creditor", creditor.id);
    m.links.put("customer", account.links.get("customer"));
    m.links.put("customer_bank_account", account.id);
    m.submitOn = Times.addWorkingDays(state.today(), 1);
    m.activateOn = Times.addWorkingDays(m.submitOn, 2);
    state.mandates.add(m);
    state
        .event(organisationId, "mandates", "created")
        .link("mandate", m.id)
        .origin("api")
        .cause("mandate_created")
        .description("Mandate created via the API.")
        .resourceMetadata(m.metadata)
        .emit();
    return m;
  }

  /** The earliest charge date a new payment on this mandate can have. */
  public LocalDate nextPossibleChargeDate(Mandate m) {
    LocalDate earliest = Times.addWorkingDays(state.today(), Banks.leadDays(m.scheme));
    if (!"active".equals(m.status) && m.activateOn != null && m.activateOn.isAfter(earliest)) {
      earliest = m.activateOn;
    }
    return Times.rollForward(earliest);
  }

  public Mandate render(Mandate m) {
    if (m.isInactive()) {
      m.nextPossibleChargeDate = null;
    } else {
      m.nextPossibleChargeDate = Times.date(nextPossibleChargeDate(m));
    }
    m.nextPossibleStandardAchChargeDate = "ach".equals(m.scheme) ? m.nextPossibleChargeDate : null;
    return m;
  }

  public void submit(Mandate m) {
    m.status = "submitted";
    if (m.activateOn == null) {
      m.activateOn = Times.addWorkingDays(state.today(), 2);
    }
    state
        .event(m.organisationId, "mandates", "submitted")
        .link("mandate", m.id)
        .origin("gocardless")
        .cause("mandate_submitted")
        .description("The mandate has been submitted to the banks." + SANDBOX)
        .resourceMetadata(m.metadata)
        .emit();
  }

  public void activate(Mandate m) {
    boolean reinstated = m.reinstating;
    m.reinstating = false;
    m.status = "active";
    state
        .event(m.organisationId, "mandates", reinstated ? "reinstated" : "active")
        .link("mandate", m.id)
        .origin("gocardless")
        .cause(reinstated ? "mandate_reinstated" : "mandate_activated")
        .description(
            (reinstated
                    ? "The mandate has been reinstated."
                    : "The time window after submission for the banks to refuse a mandate has ended"
                        + " without any errors being received, so this mandate is now active.")
                + SANDBOX)
        .resourceMetadata(m.metadata)
        .emit();
  }

  public void fail(Mandate m) {
    m.status = "failed";
    state
        .event(m.organisationId, "mandates", "failed")
        .link("mandate", m.id)
        .origin("bank")
        .cause("invalid_bank_details")
        .description(
            "The specified bank account does not exist or was closed. Please check the bank"
                + " details."
                + SANDBOX)
        .detail("scheme", m.scheme)
        .detail("reason_code", "bacs".equals(m.scheme) ? "AUDDIS-5" : "AC01")
        .resourceMetadata(m.metadata)
        .emit();
    onMandateStopped.accept(m, "mandate_cancelled");
  }

  public void expire(Mandate m) {
    m.status = "expired";
    state
        .event(m.organisationId, "mandates", "expired")
        .link("mandate", m.id)
        .origin("gocardless")
        .cause("mandate_expired")
        .description(
            "The mandate expired as no payments were collected against it for a long period."
                + SANDBOX)
        .resourceMetadata(m.metadata)
        .emit();
    onMandateStopped.accept(m, "mandate_expired");
  }

  public void cancel(
      Mandate m, String origin, String cause, String description, Map<String, String> metadata) {
    m.status = "cancelled";
    state
        .event(m.organisationId, "mandates", "cancelled")
        .link("mandate", m.id)
        .origin(origin)
        .cause(cause)
        .description(description)
        .metadata(metadata)
        .resourceMetadata(m.metadata)
        .emit();
    onMandateStopped.accept(m, cause);
  }
}
