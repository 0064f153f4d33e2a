package io.paybridge.simulator.billing;

import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.customers.CustomerBillingDetail;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import io.paybridge.simulator.subscriptions.SubscriptionsApi;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * {@code /billing_requests} (create, list, get, actions), {@code /billing_request_flows} and
 * institutions: request parsing over {@link BillingRequests}.
 */
public final class BillingRequestsApi {
  private final State state;
  private final BillingRequests billing;
  private final Supplier<String> publicUrl;
  private final SubscriptionsApi subscriptionChecker;
  private final BankAuthorisations bankAuthorisations;
  private final ResourceApi<BillingRequest> api;

  public BillingRequestsApi(
      State state,
      BillingRequests billing,
      SubscriptionsApi subscriptionChecker,
      BankAuthorisations bankAuthorisations,
      Supplier<String> publicUrl) {
    this.state = state;
    this.bankAuthorisations = bankAuthorisations;
    this.subscriptionChecker = subscriptionChecker;
    this.billing = billing;
    this.publicUrl = publicUrl;
    this.api =
        ResourceApi.of(billing.type)
            .render(billing::render)
            .links(b -> b.links)
            .creates(this::create)
            .action(
                "collect_customer_details",
                (brq, r) -> billing.collectCustomerDetails(brq, r.data(), "api"))
            .action(
                "collect_bank_account",
                (brq, r) -> billing.collectBankAccount(brq, r.data(), "api"))
            .action(
                "confirm_payer_details",
                (brq, r) -> billing.confirmPayerDetails(brq, r.data(), "api"))
            .action(
                "select_institution",
                (brq, r) ->
                    billing.selectInstitution(
                        brq,
                        Json.text(r.data(), "institution"),
                        Json.text(r.data(), "country_code"),
                        "api"))
            .action(
                "fulfil",
                (brq, r) -> {
                  billing.guardOpen(brq);
                  if (!"ready_to_fulfil".equals(brq.status)) {
                    throw ApiException.invalidState(
                        "billing_request_not_ready",
                        "The billing request can't be fulfilled: required actions are still"
                            + " pending");
                  }
                  return billing.fulfil(brq, "api", Json.validMetadata(r.data(), "data"));
                })
            .action("cancel", (brq, r) -> billing.cancel(brq, Json.validMetadata(r.data(), "data")))
            .action("notify", this::notifyPayer)
            .action("fallback", (brq, r) -> billing.fallback(brq))
            .action("choose_currency", (brq, r) -> billing.chooseCurrency(brq, r.data()))
            .linkFilters("customer")
            .anyOfFilter("status", b -> b.status);
  }

  public ResourceApi<BillingRequest> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
    router.add(
        "GET",
        "/billing_requests/:identity/institutions",
        r -> {
          BillingRequest brq = api.find(r);
          CustomerBillingDetail detail =
              state.billingDetails.get(brq.links.get("customer_billing_detail"));
          return Institutions.list(
              r, detail != null && detail.countryCode != null ? detail.countryCode : "GB");
        });
    router.add("GET", "/institutions", r -> Institutions.list(r, "GB"));
    router.add(
        "POST",
        "/billing_requests/create_with_actions",
        r ->
            idempotency.create(
                r,
                "billing_request_with_actions",
                () -> createWithActions(r),
                id -> withActions(state.billingRequests.get(id)),
                this::withActions));

    router.add("POST", "/billing_request_flows", this::createFlow);
    router.add(
        "POST",
        "/billing_request_flows/:identity/actions/initialise",
        r -> {
          BillingRequestFlow flow = state.flows.find(r.organisationId(), r.id());
          flow.sessionToken = state.ids.secret("sesh_sandbox_", 24);
          return ApiResponse.ok("billing_request_flows", flow);
        });
  }

  private BillingRequest create(ApiRequest r) {
    return create(r, r.envelope("billing_requests"), "billing_requests");
  }

  private BillingRequest create(ApiRequest r, JsonNode body, String envelope) {
    ApiException.Validation v = new ApiException.Validation(envelope);
    BillingRequest brq = new BillingRequest();
    brq.organisationId = r.organisationId();
    Creditor creditor = state.creditorOf(r.organisationId());

    JsonNode mr = Json.object(body, "mandate_request");
    JsonNode pr = Json.object(body, "payment_request");
    if (mr == null && pr == null) {
      v.field("mandate_request", "must be provided if payment_request is not");
    }
    if (Json.object(body, "instalment_schedule_request") != null) {
      v.field("instalment_schedule_request", "is not supported by the GoCardless simulator");
    }
    brq.viaApp = r.token().viaApp();
    if (mr != null) {
      BillingRequest.MandateRequest m = new BillingRequest.MandateRequest();
      m.scheme = Json.text(mr, "scheme");
      m.currency = Json.text(mr, "currency");
      if (m.scheme != null && !BillingRequests.SCHEMES.contains(m.scheme)) {
        v.field("mandate_request.scheme", "is not a supported scheme");
      }
      if (m.scheme == null && m.currency != null) {
        m.scheme = Banks.schemeFor(m.currency);
      }
      if (m.currency == null && m.scheme != null && BillingRequests.SCHEMES.contains(m.scheme)) {
        m.currency = Banks.currencyOfScheme(m.scheme);
      }
      String verify = Json.text(mr, "verify");
      if (verify != null) {
        if (!BillingRequests.VERIFY.contains(verify)) {
          v.field(
              "mandate_request.verify",
              "must be one of " + String.join(", ", BillingRequests.VERIFY));
        }
        m.verify = verify;
      }
      if ("always".equals(m.verify)
          && m.scheme != null
          && !BillingRequests.VERIFIABLE_SCHEMES.contains(m.scheme)) {
        v.field("mandate_request.verify", "no verification mechanism is available for this scheme");
      }
      m.description = Json.text(mr, "description");
      m.reference = Json.text(mr, "reference");
      m.authorisationSource = Json.text(mr, "authorisation_source");
      m.consentType = Json.text(mr, "consent_type");
      if (mr.has("funds_settlement")) {
        m.fundsSettlement = Json.text(mr, "funds_settlement");
      }
      Boolean sweeping = Json.bool(mr, "sweeping");
      m.sweeping = sweeping != null && sweeping;
      JsonNode constraints = Json.object(mr, "constraints");
      m.constraints = constraints;
      Map<String, String> metadata = Json.metadata(mr, "mandate_request", v);
      if (metadata != null) {
        m.metadata = metadata;
      }
      brq.mandateRequest = m;
    }
    JsonNode sr = Json.object(body, "subscription_request");
    if (sr != null) {
      if (brq.mandateRequest == null) {
        v.field("subscription_request", "requires a mandate_request");
      } else {
        String currency = Json.text(sr, "currency");
        String scheme =
            brq.mandateRequest.scheme != null
                ? brq.mandateRequest.scheme
                : currency == null ? null : Banks.schemeFor(currency);
        if (scheme != null && BillingRequests.SCHEMES.contains(scheme)) {
          subscriptionChecker.check(sr, scheme, brq.viaApp, v);
        } else {
          v.field("subscription_request.currency", "is required");
        }
        if (brq.mandateRequest.currency == null && currency != null) {
          brq.mandateRequest.currency = currency;
          brq.mandateRequest.scheme = scheme;
        }
      }
      brq.subscriptionRequestBody = sr;
      brq.subscriptionRequest = subscriptionRequest(sr);
    }
    if (pr != null) {
      BillingRequest.PaymentRequest p = new BillingRequest.PaymentRequest();
      Long amount = Json.number(pr, "amount");
      if (amount == null) {
        v.field("payment_request.amount", "is required");
      } else if (amount <= 0) {
        v.field("payment_request.amount", "must be greater than 0");
      } else {
        p.amount = amount;
      }
      p.currency = Json.text(pr, "currency");
      if (p.currency == null) {
        v.field("payment_request.currency", "is required");
      } else if (!"GBP".equals(p.currency) && !"EUR".equals(p.currency)) {
        v.field("payment_request.currency", "must be GBP or EUR for instant bank payments");
      }
      p.scheme = Json.text(pr, "scheme");
      if (p.scheme == null) {
        p.scheme = "EUR".equals(p.currency) ? "sepa_credit_transfer" : "faster_payments";
      }
      p.appFee = Json.number(pr, "app_fee");
      if (p.appFee != null && !r.token().viaApp()) {
        v.field("payment_request.app_fee", "can only be set when using an app's access token");
      }
      p.description = Json.text(pr, "description");
      p.reference = Json.text(pr, "reference");
      if (pr.has("funds_settlement")) {
        p.fundsSettlement = Json.text(pr, "funds_settlement");
      }
      Boolean retry = Json.bool(pr, "retry_if_possible");
      p.retryIfPossible = retry != null && retry;
      Map<String, String> metadata = Json.metadata(pr, "payment_request", v);
      if (metadata != null) {
        p.metadata = metadata;
      }
      brq.paymentRequest = p;
    }
    Map<String, String> metadata = Json.metadata(body, null, v);
    Boolean fallback = Json.bool(body, "fallback_enabled");
    brq.fallbackEnabled = fallback != null && fallback;
    brq.purposeCode = Json.text(body, "purpose_code");
    brq.paymentPurposeCode = Json.text(body, "payment_purpose_code");
    brq.paymentContextCode = Json.text(body, "payment_context_code");

    JsonNode links = Json.object(body, "links");
    Customer customer = null;
    CustomerBankAccount bankAccount = null;
    if (links != null) {
      String customerId = Json.text(links, "customer");
      if (customerId != null) {
        customer = state.customers.get(customerId);
        if (customer == null || !customer.organisationId.equals(r.organisationId())) {
          v.field("links.customer", "was not found");
        }
      }
      String accountId = Json.text(links, "customer_bank_account");
      if (accountId != null) {
        bankAccount = state.bankAccounts.get(accountId);
        if (bankAccount == null
            || !bankAccount.organisationId.equals(r.organisationId())
            || !bankAccount.enabled) {
          v.field("links.customer_bank_account", "was not found");
        } else if (customer != null && !customer.id.equals(bankAccount.links.get("customer"))) {
          v.field("links.customer_bank_account", "does not belong to the linked customer");
        }
      }
      String creditorId = Json.text(links, "creditor");
      if (creditorId != null && !creditorId.equals(creditor.id)) {
        v.field("links.creditor", "was not found");
      }
    }
    v.throwIfInvalid();
    return billing.open(brq, customer, bankAccount, creditor, metadata);
  }

  /**
   * {@code POST /billing_requests/create_with_actions} (docs/gocardless/API.md §3.8): a billing
   * request, then its actions in the order a payer would take them (customer details, bank account,
   * institution, payer confirmation, bank authorisation). An action's error is answered as that
   * action's error, and the request stays created with the actions before it done.
   */
  private BillingRequest createWithActions(ApiRequest r) {
    JsonNode body = r.envelope("billing_request_with_actions");
    if (Json.object(body, "subscription_request") != null) {
      new ApiException.Validation("billing_request_with_actions")
          .field("subscription_request", "is not accepted by create_with_actions")
          .throwIfInvalid();
    }
    BillingRequest brq = create(r, body, "billing_request_with_actions");
    JsonNode actions = Json.object(body, "actions");
    if (actions == null) {
      return brq;
    }
    JsonNode details = Json.object(actions, "collect_customer_details");
    if (details != null) {
      billing.collectCustomerDetails(brq, details, "api");
    }
    JsonNode account = Json.object(actions, "collect_bank_account");
    if (account != null) {
      billing.collectBankAccount(brq, account, "api");
    }
    JsonNode institution = Json.object(actions, "select_institution");
    if (institution != null) {
      billing.selectInstitution(
          brq,
          Json.text(institution, "institution"),
          Json.text(institution, "country_code"),
          "api");
    }
    JsonNode confirm = Json.object(actions, "confirm_payer_details");
    if (confirm != null) {
      billing.confirmPayerDetails(brq, confirm, "api");
    }
    Boolean bank = Json.bool(actions, "create_bank_authorisation");
    if (bank != null && bank) {
      bankAuthorisations.create(brq, Json.text(actions, "bank_authorisation_redirect_uri"));
    }
    return brq;
  }

  /** {@code {"billing_requests": …, "bank_authorisations": …}} of create_with_actions. */
  private Map<String, Object> withActions(BillingRequest brq) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("billing_requests", billing.render(brq));
    BankAuthorisation latest = null;
    for (BankAuthorisation b :
        state.bankAuthorisations.list(x -> brq.id.equals(x.links.get("billing_request")))) {
      latest = b;
      break;
    }
    body.put("bank_authorisations", latest);
    return body;
  }

  /** The {@code subscription_request} as the billing request shows it (its fixture's fields). */
  private static Map<String, Object> subscriptionRequest(JsonNode sr) {
    Map<String, Object> shown = new LinkedHashMap<>();
    for (String field :
        new String[] {
          "amount",
          "app_fee",
          "count",
          "currency",
          "day_of_month",
          "interval",
          "interval_unit",
          "month",
          "name",
          "payment_reference",
          "start_date"
        }) {
      JsonNode value = sr.get(field);
      shown.put(
          field,
          value == null || value.isNull()
              ? null
              : value.isNumber() ? (Object) value.asLong() : value.asString());
    }
    Boolean retry = Json.bool(sr, "retry_if_possible");
    shown.put("retry_if_possible", retry != null && retry);
    JsonNode metadata = Json.object(sr, "metadata");
    Map<String, String> md = new LinkedHashMap<>();
    if (metadata != null) {
      metadata.properties().forEach(e -> md.put(e.getKey(), e.getValue().asString()));
    }
    shown.put("metadata", md);
    shown.put("links", new LinkedHashMap<String, String>());
    return shown;
  }

  private BillingRequest notifyPayer(BillingRequest brq, ApiRequest r) {
    billing.guardOpen(brq);
    if (brq.paymentRequest == null) {
      throw ApiException.invalidState(
          "action_not_available",
          "notify is only available for billing requests with a payment request");
    }
    ApiException.Validation v = new ApiException.Validation("data");
    String type = Json.text(r.data(), "notification_type");
    if (!"email".equals(type)) {
      v.field("notification_type", "must be email");
    }
    Customer customer = state.customers.get(brq.links.get("customer"));
    if (customer.email == null) {
      v.field("notification_type", "requires the customer to have an email address");
    }
    v.throwIfInvalid();
    return brq;
  }

  private ApiResponse createFlow(ApiRequest r) {
    JsonNode body = r.envelope("billing_request_flows");
    ApiException.Validation v = new ApiException.Validation("billing_request_flows");
    JsonNode links = Json.object(body, "links");
    String brqId = links == null ? null : Json.text(links, "billing_request");
    BillingRequest brq = brqId == null ? null : state.billingRequests.get(brqId);
    if (brq == null || !brq.organisationId.equals(r.organisationId())) {
      v.field("links.billing_request", brqId == null ? "is required" : "was not found");
      v.throwIfInvalid();
    }
    billing.guardOpen(brq);
    BillingRequestFlow flow = new BillingRequestFlow();
    Boolean autoFulfil = Json.bool(body, "auto_fulfil");
    if (autoFulfil != null && !autoFulfil) {
      v.field("auto_fulfil", "can only be true");
    }
    flow.lockCustomerDetails = bool(body, "lock_customer_details");
    flow.lockBankAccount = bool(body, "lock_bank_account");
    flow.lockCurrency = bool(body, "lock_currency");
    if (flow.lockCustomerDetails && brq.isPending("collect_customer_details")) {
      v.field("lock_customer_details", "can only be set once customer details are collected");
    }
    if (flow.lockBankAccount && brq.isPending("collect_bank_account")) {
      v.field("lock_bank_account", "can only be set once a bank account is collected");
    }
    flow.redirectUri = Json.text(body, "redirect_uri");
    flow.exitUri = Json.text(body, "exit_uri");
    flow.showRedirectButtons = bool(body, "show_redirect_buttons");
    flow.showSuccessRedirectButton = bool(body, "show_success_redirect_button");
    flow.skipSuccessScreen = bool(body, "skip_success_screen");
    if (flow.skipSuccessScreen && flow.redirectUri == null) {
      v.field("skip_success_screen", "requires a redirect_uri");
    }
    flow.customerDetailsCaptured = bool(body, "customer_details_captured");
    if (body.has("language")) {
      flow.language = Json.text(body, "language");
    }
    JsonNode prefilled = Json.object(body, "prefilled_customer");
    if (prefilled != null) {
      flow.prefilledCustomer = new LinkedHashMap<>();
      for (String key : BillingRequests.PREFILLED_CUSTOMER_FIELDS) {
        flow.prefilledCustomer.put(key, null);
      }
      for (Map.Entry<String, JsonNode> e : prefilled.properties()) {
        flow.prefilledCustomer.put(
            e.getKey(), e.getValue().isNull() ? null : e.getValue().asString());
      }
    }
    JsonNode prefilledAccount = Json.object(body, "prefilled_bank_account");
    if (prefilledAccount != null) {
      flow.prefilledBankAccount = new LinkedHashMap<>();
      flow.prefilledBankAccount.put("account_type", Json.text(prefilledAccount, "account_type"));
    }
    v.throwIfInvalid();
    flow.id = state.ids.next("BRF", 29);
    Instant now = state.now();
    flow.createdAt = Times.iso(now);
    flow.organisationId = r.organisationId();
    flow.expiry = now.plus(Duration.ofDays(7));
    flow.expiresAt = Times.iso(flow.expiry);
    flow.authorisationUrl = publicUrl.get() + "/billing/static/flow?id=" + flow.id;
    flow.links.put("billing_request", brq.id);
    state.flows.add(flow);
    billing.event(brq, "flow_created", "api").link("billing_request_flow", flow.id).emit();
    return ApiResponse.created("billing_request_flows", flow);
  }

  private static boolean bool(JsonNode body, String field) {
    Boolean value = Json.bool(body, field);
    return value != null && value;
  }
}
