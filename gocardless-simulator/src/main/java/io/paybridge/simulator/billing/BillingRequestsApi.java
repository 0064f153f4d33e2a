package io.paybridge.simulator.billing;

import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.customers.CustomerBillingDetail;
import io.paybridge.simulator.customers.CustomersApi;
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
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.MandatesApi;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.PaymentsApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /billing_requests} (create, list, get, actions), {@code /billing_request_flows} and
 * institutions, with the billing request state machine of docs/gocardless/API.md §3.
 */
public final class BillingRequestsApi {
  static final Set<String> SCHEMES =
      Set.of(
          "ach",
          "autogiro",
          "bacs",
          "becs",
          "becs_nz",
          "betalingsservice",
          "faster_payments",
          "pad",
          "pay_to",
          "sepa_core");
  static final Set<String> VERIFY = Set.of("minimum", "recommended", "when_available", "always");

  /** Schemes where the simulator can verify the payer through their bank (Verified Mandates). */
  static final Set<String> VERIFIABLE_SCHEMES = Set.of("ach", "autogiro", "bacs", "sepa_core");

  static final List<String> PREFILLED_CUSTOMER_FIELDS =
      List.of(
          "given_name",
          "family_name",
          "company_name",
          "email",
          "address_line1",
          "address_line2",
          "address_line3",
          "city",
          "region",
          "postal_code",
          "country_code",
          "danish_identity_number",
          "swedish_identity_number");

  private final State state;
  private final Idempotency idempotency;
  private final CustomersApi customers;
  private final MandatesApi mandates;
  private final PaymentsApi payments;
  private final Supplier<String> publicUrl;

  public BillingRequestsApi(
      State state,
      Idempotency idempotency,
      CustomersApi customers,
      MandatesApi mandates,
      PaymentsApi payments,
      Supplier<String> publicUrl) {
    this.state = state;
    this.idempotency = idempotency;
    this.customers = customers;
    this.mandates = mandates;
    this.payments = payments;
    this.publicUrl = publicUrl;
  }

  public void routes(Router router) {
    router.add(
        "POST",
        "/billing_requests",
        r ->
            idempotency.create(
                r,
                "billing_requests",
                () -> create(r),
                id -> render(state.billingRequests.get(id)),
                this::render));
    router.add("GET", "/billing_requests", this::list);
    router.add(
        "GET",
        "/billing_requests/:identity",
        r -> ApiResponse.ok("billing_requests", render(find(r))));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/collect_customer_details",
        r -> ok(collectCustomerDetails(find(r), r.data(), "api")));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/collect_bank_account",
        r -> ok(collectBankAccount(find(r), r.data(), "api")));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/confirm_payer_details",
        r -> ok(confirmPayerDetails(find(r), r.data(), "api")));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/select_institution",
        r ->
            ok(
                selectInstitution(
                    find(r),
                    Json.text(r.data(), "institution"),
                    Json.text(r.data(), "country_code"),
                    "api")));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/fulfil",
        r -> {
          BillingRequest brq = find(r);
          guardOpen(brq);
          if (!"ready_to_fulfil".equals(brq.status)) {
            throw ApiException.invalidState(
                "billing_request_not_ready",
                "The billing request can't be fulfilled: required actions are still pending");
          }
          return ok(fulfil(brq, "api", metadata(r.data(), "data")));
        });
    router.add(
        "POST",
        "/billing_requests/:identity/actions/cancel",
        r -> ok(cancel(find(r), metadata(r.data(), "data"))));
    router.add("POST", "/billing_requests/:identity/actions/notify", this::notifyPayer);
    router.add("POST", "/billing_requests/:identity/actions/fallback", r -> ok(fallback(find(r))));
    router.add(
        "POST",
        "/billing_requests/:identity/actions/choose_currency",
        r -> ok(chooseCurrency(find(r), r.data())));
    router.add(
        "GET",
        "/billing_requests/:identity/institutions",
        r -> {
          BillingRequest brq = find(r);
          CustomerBillingDetail detail =
              state.billingDetails.get(brq.links.get("customer_billing_detail"));
          return Institutions.list(
              r, detail != null && detail.countryCode != null ? detail.countryCode : "GB");
        });
    router.add("GET", "/institutions", r -> Institutions.list(r, "GB"));

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

  private ApiResponse ok(BillingRequest brq) {
    return ApiResponse.ok("billing_requests", render(brq));
  }

  private BillingRequest find(ApiRequest r) {
    return state.billingRequests.find(r.organisationId(), r.id());
  }

  private Map<String, String> metadata(JsonNode node, String envelope) {
    ApiException.Validation v = new ApiException.Validation(envelope);
    Map<String, String> metadata = Json.metadata(node, null, v);
    v.throwIfInvalid();
    return metadata;
  }

  private ApiResponse list(ApiRequest r) {
    String customer = r.queryParam("customer");
    String status = r.queryParam("status");
    List<String> statuses = status == null ? null : Arrays.asList(status.split(","));
    return ApiResponse.of(
        200,
        Pagination.page(
            "billing_requests",
            state.billingRequests.list(
                b ->
                    b.organisationId.equals(r.organisationId())
                        && (customer == null || customer.equals(b.links.get("customer")))
                        && (statuses == null || statuses.contains(b.status))
                        && Pagination.inRange(r, "created_at", b.createdAt)),
            r,
            this::render));
  }

  // ---- create ----

  private BillingRequest create(ApiRequest r) {
    JsonNode body = r.envelope("billing_requests");
    ApiException.Validation v = new ApiException.Validation("billing_requests");
    BillingRequest brq = new BillingRequest();
    brq.organisationId = r.organisationId();
    Creditor creditor = state.creditorOf(r.organisationId());

    JsonNode mr = Json.object(body, "mandate_request");
    JsonNode pr = Json.object(body, "payment_request");
    if (mr == null && pr == null) {
      v.field("mandate_request", "must be provided if payment_request is not");
    }
    for (String unsupported :
        new String[] {"subscription_request", "instalment_schedule_request"}) {
      if (Json.object(body, unsupported) != null) {
        v.field(unsupported, "is not supported by the GoCardless simulator");
      }
    }
    if (mr != null) {
      BillingRequest.MandateRequest m = new BillingRequest.MandateRequest();
      m.scheme = Json.text(mr, "scheme");
      m.currency = Json.text(mr, "currency");
      if (m.scheme != null && !SCHEMES.contains(m.scheme)) {
        v.field("mandate_request.scheme", "is not a supported scheme");
      }
      if (m.scheme == null && m.currency != null) {
        m.scheme = Banks.schemeFor(m.currency);
      }
      if (m.currency == null && m.scheme != null && SCHEMES.contains(m.scheme)) {
        m.currency = Banks.currencyOfScheme(m.scheme);
      }
      String verify = Json.text(mr, "verify");
      if (verify != null) {
        if (!VERIFY.contains(verify)) {
          v.field("mandate_request.verify", "must be one of " + String.join(", ", VERIFY));
        }
        m.verify = verify;
      }
      if ("always".equals(m.verify) && m.scheme != null && !VERIFIABLE_SCHEMES.contains(m.scheme)) {
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

    if (customer == null && bankAccount != null) {
      customer = state.customers.get(bankAccount.links.get("customer"));
    }
    if (customer == null) {
      customer = customers.newCustomer(r.organisationId());
    }
    CustomerBillingDetail detail = customers.newBillingDetail(customer);
    if (brq.mandateRequest != null && brq.mandateRequest.scheme != null) {
      detail.schemes.add(brq.mandateRequest.scheme);
    }
    if (brq.paymentRequest != null) {
      detail.schemes.add(brq.paymentRequest.scheme);
    }
    brq.id = state.ids.next("BRQ");
    brq.createdAt = state.nowIso();
    if (metadata != null) {
      brq.metadata = metadata;
    }
    brq.links.put("customer", customer.id);
    brq.links.put("customer_billing_detail", detail.id);
    if (bankAccount != null) {
      brq.links.put("customer_bank_account", bankAccount.id);
    }
    brq.links.put("creditor", creditor.id);
    brq.links.put("organisation", r.organisationId());
    if (brq.paymentRequest != null) {
      brq.links.put("payment_request", state.ids.next("PRQ", 13));
    }
    if (brq.mandateRequest != null) {
      brq.links.put("mandate_request", state.ids.next("MRQ", 13));
    }
    buildActions(brq, customer, detail, bankAccount != null);
    state.billingRequests.add(brq);
    updateStatus(brq);
    event(brq, "created", "api").link("customer", customer.id).emit();
    return brq;
  }

  private boolean needsMandateVerification(BillingRequest brq) {
    BillingRequest.MandateRequest m = brq.mandateRequest;
    if (m == null || brq.fallbackOccurred) {
      return false;
    }
    return "autogiro".equals(m.scheme)
        || (("always".equals(m.verify) || "when_available".equals(m.verify))
            && (m.scheme == null || VERIFIABLE_SCHEMES.contains(m.scheme)));
  }

  private void buildActions(
      BillingRequest brq, Customer customer, CustomerBillingDetail detail, boolean hasBankAccount) {
    boolean mandate = brq.mandateRequest != null;
    boolean payment = brq.paymentRequest != null;
    String currency = payment ? brq.paymentRequest.currency : brq.mandateRequest.currency;
    BillingRequest.Action chooseCurrency =
        new BillingRequest.Action("choose_currency", List.of(), List.of());
    chooseCurrency.availableCurrencies =
        currency != null
            ? List.of(currency)
            : List.of("GBP", "EUR", "SEK", "DKK", "AUD", "NZD", "CAD", "USD");
    if (currency != null) {
      chooseCurrency.status = "completed";
    }
    brq.actions.add(chooseCurrency);
    if (payment) {
      BillingRequest.Action collectAmount =
          new BillingRequest.Action("collect_amount", List.of(), List.of());
      collectAmount.status = "completed";
      brq.actions.add(collectAmount);
    }
    BillingRequest.Action details =
        new BillingRequest.Action(
            "collect_customer_details", List.of("choose_currency"), List.of());
    brq.actions.add(details);
    boolean bankAuthorisation = payment || needsMandateVerification(brq);
    if (bankAuthorisation) {
      brq.actions.add(new BillingRequest.Action("select_institution", List.of(), List.of()));
    }
    BillingRequest.Action bankAccount =
        new BillingRequest.Action("collect_bank_account", List.of(), List.of("choose_currency"));
    bankAccount.institutionGuessStatus = "not_needed";
    if (hasBankAccount) {
      bankAccount.status = "completed";
    }
    brq.actions.add(bankAccount);
    if (bankAuthorisation) {
      BillingRequest.Action auth =
          new BillingRequest.Action(
              "bank_authorisation",
              payment
                  ? List.of("select_institution")
                  : List.of("select_institution", "collect_bank_account"),
              payment ? List.of("collect_bank_account") : List.of());
      auth.bankAuthorisation = new LinkedHashMap<>();
      auth.bankAuthorisation.put("authorisation_type", payment ? "payment" : "mandate");
      auth.bankAuthorisation.put(
          "adapter", payment ? "open_banking_gateway_pis" : "open_banking_gateway_ais");
      brq.actions.add(auth);
    }
    if (mandate) {
      brq.actions.add(
          new BillingRequest.Action(
              "confirm_payer_details",
              List.of("collect_customer_details", "collect_bank_account"),
              List.of()));
    }
    if (incompleteFields(brq, customer, detail).isEmpty()) {
      details.status = "completed";
    }
    if (hasBankAccount) {
      complete(brq, "choose_currency");
    }
  }

  /** Fields still missing for {@code collect_customer_details}, per the schemes involved. */
  private Map<String, List<String>> incompleteFields(
      BillingRequest brq, Customer customer, CustomerBillingDetail detail) {
    Map<String, List<String>> missing = new LinkedHashMap<>();
    List<String> c = new ArrayList<>();
    if (customer.email == null) {
      c.add("email");
    }
    if (customer.companyName == null) {
      if (customer.givenName == null) {
        c.add("given_name");
      }
      if (customer.familyName == null) {
        c.add("family_name");
      }
    }
    List<String> d = new ArrayList<>();
    if (brq.mandateRequest != null || brq.fallbackOccurred) {
      if (detail.addressLine1 == null) {
        d.add("address_line1");
      }
      if (detail.city == null) {
        d.add("city");
      }
      if (detail.postalCode == null) {
        d.add("postal_code");
      }
      if (detail.countryCode == null) {
        d.add("country_code");
      }
    }
    if (!c.isEmpty() || !d.isEmpty()) {
      missing.put("customer", c);
      missing.put("customer_billing_detail", d);
    }
    return missing;
  }

  // ---- rendering and status ----

  public BillingRequest render(BillingRequest brq) {
    Customer customer = state.customers.get(brq.links.get("customer"));
    CustomerBillingDetail detail =
        state.billingDetails.get(brq.links.get("customer_billing_detail"));
    CustomerBankAccount account = state.bankAccounts.get(brq.links.get("customer_bank_account"));
    brq.resources = new LinkedHashMap<>();
    if (customer != null) {
      brq.resources.put("customer", customer.embedded());
    }
    if (detail != null) {
      brq.resources.put("customer_billing_detail", detail);
    }
    brq.resources.put("customer_bank_account", account);
    BillingRequest.Action details = brq.action("collect_customer_details");
    if (details != null && customer != null && detail != null) {
      Map<String, Object> info = new LinkedHashMap<>();
      Map<String, List<String>> incomplete = incompleteFields(brq, customer, detail);
      if (incomplete.isEmpty()) {
        incomplete.put("customer", List.of());
        incomplete.put("customer_billing_detail", List.of());
      }
      info.put("incomplete_fields", incomplete);
      info.put("default_country_code", detail.countryCode != null ? detail.countryCode : "GB");
      details.collectCustomerDetails = info;
    }
    return brq;
  }

  private void updateStatus(BillingRequest brq) {
    if (brq.isFinal() || "fulfilling".equals(brq.status)) {
      return;
    }
    boolean ready = brq.actions.stream().allMatch(a -> !a.required || "completed".equals(a.status));
    brq.status = ready ? "ready_to_fulfil" : "pending";
  }

  private void complete(BillingRequest brq, String type) {
    BillingRequest.Action action = brq.action(type);
    if (action == null) {
      return;
    }
    action.status = "completed";
    for (String other : action.completesActions) {
      BillingRequest.Action completed = brq.action(other);
      if (completed != null) {
        completed.status = "completed";
      }
    }
  }

  private void guardOpen(BillingRequest brq) {
    if ("fulfilled".equals(brq.status)) {
      throw ApiException.invalidState(
          "billing_request_already_fulfilled", "This billing request has already been fulfilled");
    }
    if ("cancelled".equals(brq.status)) {
      throw ApiException.invalidState(
          "billing_request_already_cancelled", "This billing request has been cancelled");
    }
  }

  private BillingRequest.Action available(BillingRequest brq, String type) {
    guardOpen(brq);
    BillingRequest.Action action = brq.action(type);
    if (action == null) {
      throw ApiException.invalidState(
          "action_not_available",
          "The " + type + " action is not available on this billing request");
    }
    for (String required : action.requiresActions) {
      if (brq.isPending(required)) {
        throw ApiException.invalidState(
            "required_actions_not_completed",
            "The " + required + " action must be completed before " + type);
      }
    }
    return action;
  }

  private State.EventBuilder event(BillingRequest brq, String action, String origin) {
    String description =
        switch (action) {
          case "created" -> "This billing request has been created.";
          case "fulfilled" ->
              "This billing request has been fulfilled, and the resources have been created.";
          case "cancelled" ->
              "This billing request has been cancelled, none of the resources have been created.";
          case "payer_details_confirmed" ->
              "Payer has confirmed all their details for this billing request.";
          case "flow_created" ->
              "A billing request flow has been created against this billing request.";
          case "flow_visited" -> "The payer visited the billing request flow.";
          case "flow_exited" -> "The payer left the billing request flow without finishing it.";
          default -> "The payer completed the " + action.replace('_', ' ') + " step.";
        };
    return state
        .event(brq.organisationId, "billing_requests", action)
        .link("billing_request", brq.id)
        .origin(origin)
        .cause("billing_request_" + action)
        .description(description)
        .resourceMetadata(brq.metadata);
  }

  // ---- actions (used by the API with origin "api" and the hosted pages with origin "payer") ----

  public BillingRequest collectCustomerDetails(BillingRequest brq, JsonNode data, String origin) {
    available(brq, "collect_customer_details");
    Customer customer = state.customers.get(brq.links.get("customer"));
    CustomerBillingDetail detail =
        state.billingDetails.get(brq.links.get("customer_billing_detail"));
    ApiException.Validation v = new ApiException.Validation("data");
    JsonNode customerNode = Json.object(data, "customer");
    JsonNode detailNode = Json.object(data, "customer_billing_detail");
    Customer candidate = copy(customer);
    if (customerNode != null) {
      CustomersApi.applyCustomerFields(candidate, customerNode, v);
    }
    CustomerBillingDetail candidateDetail = copy(detail);
    if (detailNode != null) {
      applyDetailFields(candidateDetail, detailNode);
    }
    Map<String, List<String>> missing = incompleteFields(brq, candidate, candidateDetail);
    missing.forEach(
        (group, fields) -> fields.forEach(f -> v.field(group + "." + f, "is required")));
    Map<String, String> metadata =
        customerNode == null ? null : Json.metadata(customerNode, "customer", v);
    v.throwIfInvalid();
    CustomersApi.applyCustomerFields(customer, customerNode == null ? empty() : customerNode, v);
    if (metadata != null) {
      customer.metadata = metadata;
    }
    if (detailNode != null) {
      applyDetailFields(detail, detailNode);
      customer.addressLine1 = detail.addressLine1;
      customer.addressLine2 = detail.addressLine2;
      customer.addressLine3 = detail.addressLine3;
      customer.city = detail.city;
      customer.region = detail.region;
      customer.postalCode = detail.postalCode;
      customer.countryCode = detail.countryCode;
    }
    complete(brq, "collect_customer_details");
    updateStatus(brq);
    event(brq, "collect_customer_details", origin).link("customer", customer.id).emit();
    return brq;
  }

  private static ObjectNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static Customer copy(Customer c) {
    Customer x = new Customer();
    x.email = c.email;
    x.givenName = c.givenName;
    x.familyName = c.familyName;
    x.companyName = c.companyName;
    return x;
  }

  private static CustomerBillingDetail copy(CustomerBillingDetail d) {
    CustomerBillingDetail x = new CustomerBillingDetail();
    x.addressLine1 = d.addressLine1;
    x.city = d.city;
    x.postalCode = d.postalCode;
    x.countryCode = d.countryCode;
    return x;
  }

  private static void applyDetailFields(CustomerBillingDetail d, JsonNode node) {
    if (node.has("address_line1")) {
      d.addressLine1 = Json.text(node, "address_line1");
    }
    if (node.has("address_line2")) {
      d.addressLine2 = Json.text(node, "address_line2");
    }
    if (node.has("address_line3")) {
      d.addressLine3 = Json.text(node, "address_line3");
    }
    if (node.has("city")) {
      d.city = Json.text(node, "city");
    }
    if (node.has("region")) {
      d.region = Json.text(node, "region");
    }
    if (node.has("postal_code")) {
      d.postalCode = Json.text(node, "postal_code");
    }
    if (node.has("country_code")) {
      d.countryCode = Json.text(node, "country_code");
    }
    if (node.has("swedish_identity_number")) {
      d.swedishIdentityNumber = Json.text(node, "swedish_identity_number");
    }
    if (node.has("danish_identity_number")) {
      d.danishIdentityNumber = Json.text(node, "danish_identity_number");
    }
    if (node.has("ip_address")) {
      d.ipAddress = Json.text(node, "ip_address");
    }
  }

  public BillingRequest collectBankAccount(BillingRequest brq, JsonNode data, String origin) {
    available(brq, "collect_bank_account");
    Customer customer = state.customers.get(brq.links.get("customer"));
    ApiException.Validation v = new ApiException.Validation("data");
    CustomerBankAccount account = customers.bankAccountFrom(data, "data", v);
    String expectedCurrency =
        brq.paymentRequest != null
            ? brq.paymentRequest.currency
            : brq.mandateRequest == null ? null : brq.mandateRequest.currency;
    if (!v.hasErrors() && expectedCurrency != null && !expectedCurrency.equals(account.currency)) {
      v.field("currency", "must be " + expectedCurrency + " for this billing request");
    }
    String match = CustomersApi.nameMatch(customer, account.accountHolderName);
    String scheme = brq.mandateRequest == null ? null : brq.mandateRequest.scheme;
    if (!v.hasErrors()
        && "no_match".equals(match)
        && ("bacs".equals(scheme) || "sepa_core".equals(scheme))) {
      v.field(
          "account_holder_name",
          "Account holder name does not match bank account details provided");
    }
    v.throwIfInvalid();
    account.payerNameVerificationResult =
        "no_match".equals(match) ? "cannot_perform_verification" : match;
    CustomerBankAccount saved = customers.register(account, customer);
    brq.links.put("customer_bank_account", saved.id);
    if (brq.mandateRequest != null && brq.mandateRequest.currency == null) {
      brq.mandateRequest.currency = saved.currency;
      brq.mandateRequest.scheme = Banks.schemeFor(saved.currency);
    }
    complete(brq, "collect_bank_account");
    updateStatus(brq);
    event(brq, "collect_bank_account", origin)
        .link("customer", customer.id)
        .link("customer_bank_account", saved.id)
        .emit();
    return brq;
  }

  public BillingRequest confirmPayerDetails(BillingRequest brq, JsonNode data, String origin) {
    available(brq, "confirm_payer_details");
    Map<String, String> metadata = metadata(data, "data");
    Boolean dual = Json.bool(data, "payer_requested_dual_signature");
    if (dual != null && brq.mandateRequest != null) {
      brq.mandateRequest.payerRequestedDualSignature = dual;
    }
    complete(brq, "confirm_payer_details");
    updateStatus(brq);
    event(brq, "payer_details_confirmed", origin)
        .link("customer", brq.links.get("customer"))
        .link("customer_bank_account", brq.links.get("customer_bank_account"))
        .metadata(metadata)
        .emit();
    return brq;
  }

  public BillingRequest selectInstitution(
      BillingRequest brq, String institution, String countryCode, String origin) {
    available(brq, "select_institution");
    ApiException.Validation v = new ApiException.Validation("data");
    Institutions.Institution found = institution == null ? null : Institutions.find(institution);
    if (institution == null) {
      v.field("institution", "is required");
    } else if (found == null) {
      v.field("institution", "was not found");
    } else if (countryCode != null && !found.countryCode().equals(countryCode)) {
      v.field("country_code", "does not match the institution's country");
    }
    v.throwIfInvalid();
    brq.institution = found.id();
    complete(brq, "select_institution");
    updateStatus(brq);
    event(brq, "select_institution", origin).emit();
    return brq;
  }

  /**
   * The payer authorised (or refused) at their bank. Authorising completes {@code
   * bank_authorisation} and, for a payment, the bank account (the bank supplies the payer's
   * details).
   */
  public BillingRequest bankAuthorisation(BillingRequest brq, boolean authorised) {
    available(brq, "bank_authorisation");
    event(brq, "bank_authorisation_visited", "payer").emit();
    if (!authorised) {
      event(brq, "bank_authorisation_denied", "payer").emit();
      return brq;
    }
    Customer customer = state.customers.get(brq.links.get("customer"));
    if (brq.links.get("customer_bank_account") == null) {
      CustomerBankAccount account = new CustomerBankAccount();
      account.accountHolderName =
          customer.companyName != null
              ? customer.companyName
              : ((customer.givenName == null ? "" : customer.givenName)
                      + " "
                      + (customer.familyName == null ? "" : customer.familyName))
                  .trim()
                  .toUpperCase(java.util.Locale.ROOT);
      Institutions.Institution institution = Institutions.find(brq.institution);
      String country = institution == null ? "GB" : institution.countryCode();
      account.countryCode = country;
      account.currency = Banks.currencyFor(country);
      account.accountNumber = String.format("%08d", Math.abs(brq.id.hashCode()) % 100_000_000);
      account.accountNumberEnding = account.accountNumber.substring(6);
      account.branchCode = "200000";
      account.bankName =
          institution == null
              ? "SIMULATED BANK"
              : institution.name().toUpperCase(java.util.Locale.ROOT);
      account.payerNameVerificationResult = "full";
      CustomerBankAccount saved = customers.register(account, customer);
      brq.links.put("customer_bank_account", saved.id);
    }
    brq.links.put("bank_authorisation", state.ids.next("BAU", 13));
    complete(brq, "bank_authorisation");
    complete(brq, "collect_bank_account");
    complete(brq, "choose_currency");
    updateStatus(brq);
    event(brq, "bank_authorisation_authorised", "payer")
        .link("bank_authorisation", brq.links.get("bank_authorisation"))
        .emit();
    return brq;
  }

  /** Creates the mandate and/or payment and marks the request fulfilled. */
  public BillingRequest fulfil(BillingRequest brq, String origin, Map<String, String> metadata) {
    brq.status = "fulfilling";
    Customer customer = state.customers.get(brq.links.get("customer"));
    CustomerBankAccount account = state.bankAccounts.get(brq.links.get("customer_bank_account"));
    Mandate mandate = null;
    if (brq.mandateRequest != null && account != null) {
      BillingRequest.MandateRequest mr = brq.mandateRequest;
      String scheme = mr.scheme != null ? mr.scheme : Banks.schemeFor(account.currency);
      boolean verified =
          brq.action("bank_authorisation") != null && !brq.isPending("bank_authorisation");
      mandate =
          mandates.create(
              brq.organisationId,
              account,
              scheme,
              mr.reference,
              mr.metadata,
              verified ? state.nowIso() : null);
      mandate.authorisationSource = mr.authorisationSource;
      mandate.consentType = mr.consentType;
      mandate.fundsSettlement = mr.fundsSettlement;
      mr.links.put("mandate", mandate.id);
      brq.links.put("mandate_request_mandate", mandate.id);
    }
    if (brq.paymentRequest != null) {
      BillingRequest.PaymentRequest pr = brq.paymentRequest;
      Payment payment;
      if (brq.fallbackOccurred && mandate != null) {
        payment =
            payments.createOnMandate(mandate, pr.amount, pr.appFee, pr.description, pr.metadata);
      } else {
        payment =
            payments.createInstant(
                brq.organisationId,
                pr.amount,
                pr.appFee,
                pr.currency,
                pr.scheme,
                pr.description,
                pr.reference,
                pr.metadata,
                customer == null ? null : customer.givenName);
      }
      payment.retryIfPossible = pr.retryIfPossible && !payment.instant;
      pr.links.put("payment", payment.id);
      brq.links.put("payment_request_payment", payment.id);
    }
    brq.status = "fulfilled";
    for (BillingRequest.Action action : brq.actions) {
      action.status = "completed";
    }
    event(brq, "fulfilled", origin)
        .link("mandate_request_mandate", brq.links.get("mandate_request_mandate"))
        .link("payment_request_payment", brq.links.get("payment_request_payment"))
        .metadata(metadata)
        .emit();
    return brq;
  }

  public BillingRequest cancel(BillingRequest brq, Map<String, String> metadata) {
    guardOpen(brq);
    brq.status = "cancelled";
    for (BillingRequestFlow flow :
        state.flows.list(f -> brq.id.equals(f.links.get("billing_request")))) {
      flow.expired = true;
    }
    event(brq, "cancelled", "api").metadata(metadata).emit();
    return brq;
  }

  private ApiResponse notifyPayer(ApiRequest r) {
    BillingRequest brq = find(r);
    guardOpen(brq);
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
    return ok(brq);
  }

  public BillingRequest fallback(BillingRequest brq) {
    guardOpen(brq);
    if (!brq.fallbackEnabled || brq.paymentRequest == null) {
      throw ApiException.invalidState(
          "fallback_not_enabled", "Fallback is not enabled for this billing request");
    }
    if (brq.fallbackOccurred) {
      return brq;
    }
    brq.fallbackOccurred = true;
    brq.actions.removeIf(
        a -> "select_institution".equals(a.type) || "bank_authorisation".equals(a.type));
    if (brq.mandateRequest == null) {
      BillingRequest.MandateRequest m = new BillingRequest.MandateRequest();
      m.currency = brq.paymentRequest.currency;
      m.scheme = Banks.schemeFor(m.currency);
      brq.mandateRequest = m;
      brq.links.put("mandate_request", state.ids.next("MRQ", 13));
    }
    if (brq.action("confirm_payer_details") == null) {
      brq.actions.add(
          new BillingRequest.Action(
              "confirm_payer_details",
              List.of("collect_customer_details", "collect_bank_account"),
              List.of()));
    }
    Customer customer = state.customers.get(brq.links.get("customer"));
    CustomerBillingDetail detail =
        state.billingDetails.get(brq.links.get("customer_billing_detail"));
    if (!incompleteFields(brq, customer, detail).isEmpty()) {
      brq.action("collect_customer_details").status = "pending";
    }
    updateStatus(brq);
    return brq;
  }

  private BillingRequest chooseCurrency(BillingRequest brq, JsonNode data) {
    available(brq, "choose_currency");
    if (brq.paymentRequest != null) {
      throw ApiException.invalidState(
          "action_not_available",
          "The currency of a billing request with a payment request is fixed");
    }
    String currency = Json.text(data, "currency");
    BillingRequest.Action action = brq.action("choose_currency");
    if (currency == null || !action.availableCurrencies.contains(currency)) {
      new ApiException.Validation("data")
          .field("currency", "must be one of " + String.join(", ", action.availableCurrencies))
          .throwIfInvalid();
    }
    brq.mandateRequest.currency = currency;
    brq.mandateRequest.scheme = Banks.schemeFor(currency);
    action.availableCurrencies = List.of(currency);
    complete(brq, "choose_currency");
    updateStatus(brq);
    event(brq, "choose_currency", "api").metadata(metadata(data, "data")).emit();
    return brq;
  }

  // ---- flows ----

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
    guardOpen(brq);
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
      for (String key : PREFILLED_CUSTOMER_FIELDS) {
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
    flow.createdAt = state.nowIso();
    flow.organisationId = r.organisationId();
    flow.expiry = state.now().plus(Duration.ofDays(7));
    flow.expiresAt = Times.iso(flow.expiry);
    flow.authorisationUrl = publicUrl.get() + "/billing/static/flow?id=" + flow.id;
    flow.links.put("billing_request", brq.id);
    state.flows.add(flow);
    event(brq, "flow_created", "api").link("billing_request_flow", flow.id).emit();
    return ApiResponse.created("billing_request_flows", flow);
  }

  private static boolean bool(JsonNode body, String field) {
    Boolean value = Json.bool(body, field);
    return value != null && value;
  }

  /** Emits a flow lifecycle event ({@code flow_visited}, {@code flow_exited}). */
  public void flowEvent(BillingRequest brq, BillingRequestFlow flow, String action) {
    event(brq, action, "payer").link("billing_request_flow", flow.id).emit();
  }

  /** Applies payer-facing completion: fulfils automatically once everything is done. */
  public void autoFulfil(BillingRequest brq) {
    if ("ready_to_fulfil".equals(brq.status)) {
      fulfil(brq, "payer", null);
    }
  }
}
