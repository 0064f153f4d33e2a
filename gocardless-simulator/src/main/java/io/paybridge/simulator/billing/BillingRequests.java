package io.paybridge.simulator.billing;

import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.customers.CustomerBillingDetail;
import io.paybridge.simulator.customers.Customers;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.Payments;
import io.paybridge.simulator.subscriptions.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The billing request state machine (docs/gocardless/API.md §3): actions and their dependencies,
 * {@code pending → ready_to_fulfil → fulfilled | cancelled}, fulfilment into a mandate and/or a
 * payment. Its actions are used by the API (origin {@code api}), the hosted payer pages (origin
 * {@code payer}) and scenario simulators. HTTP is in {@link BillingRequestsApi}.
 */
public final class BillingRequests {
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
  private final Customers customers;
  private final Mandates mandates;
  private final Payments payments;
  final ResourceType<BillingRequest> type;

  /** Starts a fulfilled request's {@code subscription_request} on its new mandate. */
  @FunctionalInterface
  public interface SubscriptionStarter {
    Subscription start(Mandate mandate, JsonNode subscriptionRequest, boolean viaApp);
  }

  private SubscriptionStarter subscriptionStarter =
      (m, request, viaApp) -> {
        throw new IllegalStateException("subscriptions are not wired");
      };

  public void onSubscriptionRequest(SubscriptionStarter starter) {
    this.subscriptionStarter = starter;
  }

  public BillingRequests(State state, Customers customers, Mandates mandates, Payments payments) {
    this.state = state;
    this.customers = customers;
    this.mandates = mandates;
    this.payments = payments;
    this.type =
        new ResourceType<>(
            state, "billing_requests", "billing_request", state.billingRequests, b -> b.metadata);
  }

  /**
   * Opens a validated billing request: its customer (a new bare one unless linked), a billing
   * detail, its actions and the {@code created} event.
   */
  BillingRequest open(
      BillingRequest brq,
      Customer linkedCustomer,
      CustomerBankAccount bankAccount,
      Creditor creditor,
      Map<String, String> metadata) {
    Customer customer = linkedCustomer;
    if (customer == null && bankAccount != null) {
      customer = state.customers.get(bankAccount.links.get("customer"));
    }
    if (customer == null) {
      customer = customers.newCustomer(brq.organisationId);
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
    brq.links.put("organisation", brq.organisationId);
    if (brq.paymentRequest != null) {
      brq.links.put("payment_request", state.ids.next("PRQ", 13));
    }
    if (brq.mandateRequest != null) {
      brq.links.put("mandate_request", state.ids.next("MRQ", 13));
    }
    if (brq.subscriptionRequest != null) {
      brq.links.put("subscription_request", state.ids.next("SBR", 13));
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

  void guardOpen(BillingRequest brq) {
    if ("fulfilled".equals(brq.status)) {
      throw ApiException.invalidState(
          "billing_request_already_fulfilled", "This billing request has already been fulfilled");
    }
    if ("cancelled".equals(brq.status)) {
      throw ApiException.invalidState(
          "billing_request_already_cancelled", "This billing request has been cancelled");
    }
  }

  BillingRequest.Action available(BillingRequest brq, String type) {
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

  State.EventBuilder event(BillingRequest brq, String action, String origin) {
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
    return type.event(brq, action, origin, "billing_request_" + action, description);
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
      Customers.applyCustomerFields(candidate, customerNode, v);
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
    Customers.applyCustomerFields(customer, customerNode == null ? empty() : customerNode, v);
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
    String match = Customers.nameMatch(customer, account.accountHolderName);
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
    // The customer's account with the same details is used again (a second one is refused).
    CustomerBankAccount existing = customers.duplicateOf(account, customer);
    CustomerBankAccount saved = existing != null ? existing : customers.register(account, customer);
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
    Map<String, String> metadata = Json.validMetadata(data, "data");
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
    return bankAuthorisation(brq, authorised, state.ids.next("BAU", 13));
  }

  /**
   * As {@link #bankAuthorisation(BillingRequest, boolean)}, through bank authorisation {@code id}.
   */
  public BillingRequest bankAuthorisation(
      BillingRequest brq, boolean authorised, String bankAuthorisationId) {
    available(brq, "bank_authorisation");
    event(brq, "bank_authorisation_visited", "payer")
        .link("bank_authorisation", bankAuthorisationId)
        .emit();
    if (!authorised) {
      event(brq, "bank_authorisation_denied", "payer")
          .link("bank_authorisation", bankAuthorisationId)
          .emit();
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
    brq.links.put("bank_authorisation", bankAuthorisationId);
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
      if (brq.subscriptionRequestBody != null) {
        Subscription subscription =
            subscriptionStarter.start(mandate, brq.subscriptionRequestBody, brq.viaApp);
        @SuppressWarnings("unchecked")
        Map<String, String> links = (Map<String, String>) brq.subscriptionRequest.get("links");
        links.put("subscription", subscription.id);
        brq.links.put("subscription_request_subscription", subscription.id);
      }
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

  public BillingRequest chooseCurrency(BillingRequest brq, JsonNode data) {
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
    event(brq, "choose_currency", "api").metadata(Json.validMetadata(data, "data")).emit();
    return brq;
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
