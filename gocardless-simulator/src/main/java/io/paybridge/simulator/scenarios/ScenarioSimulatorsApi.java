package io.paybridge.simulator.scenarios;

import io.paybridge.simulator.billing.BillingRequest;
import io.paybridge.simulator.billing.BillingRequests;
import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.creditors.Creditors;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.Payments;
import io.paybridge.simulator.refunds.Refunds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /scenario_simulators/:identity/actions/run} with {@code
 * {"data":{"links":{"resource":"ID"}}}} → {@code {"scenario_simulators":{"id":...}}}
 * (docs/gocardless/API.md §6). Each scenario moves the resource through the real transitions,
 * emitting every intermediate event.
 */
public final class ScenarioSimulatorsApi {
  /** Schemes where GoCardless does not offer a scenario (docs/gocardless/API.md §6). */
  private static final Set<String> NO_MANDATE_ACTIVATED =
      Set.of("ach", "becs", "becs_nz", "sepa_core");

  private static final Set<String> NO_MANDATE_FAILED = Set.of("sepa_core");
  private static final Set<String> NO_MANDATE_EXPIRED = Set.of("autogiro", "becs_nz", "pad");
  private static final Set<String> NO_LATE_FAILURE = Set.of("autogiro");

  private final State state;
  private final Creditors creditors;
  private final Mandates mandates;
  private final Payments payments;
  private final Refunds refunds;
  private final BillingRequests billing;
  private final Map<String, BiConsumer<String, String>> scenarios = new java.util.LinkedHashMap<>();

  public ScenarioSimulatorsApi(
      State state,
      Creditors creditors,
      Mandates mandates,
      Payments payments,
      Refunds refunds,
      BillingRequests billing) {
    this.state = state;
    this.creditors = creditors;
    this.mandates = mandates;
    this.payments = payments;
    this.refunds = refunds;
    this.billing = billing;
    for (String status : List.of("action_required", "in_review", "successful")) {
      scenarios.put(
          "creditor_verification_status_" + status,
          (org, id) -> creditors.setVerificationStatus(creditor(org, id), status));
    }
    scenarios.put("payment_submitted", (org, id) -> toSubmitted(payment(org, id)));
    scenarios.put("payment_confirmed", (org, id) -> toConfirmed(payment(org, id)));
    scenarios.put("payment_paid_out", (org, id) -> toPaidOut(payment(org, id)));
    scenarios.put(
        "payment_failed",
        (org, id) -> {
          Payment p = payment(org, id);
          toSubmitted(p);
          payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
        });
    scenarios.put(
        "payment_late_failure",
        (org, id) -> {
          Payment p = payment(org, id);
          offered("payment_late_failure", p.scheme, NO_LATE_FAILURE);
          toPaidOut(p);
          payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
        });
    scenarios.put(
        "payment_late_failure_settled",
        (org, id) -> {
          Payment p = payment(org, id);
          offered("payment_late_failure_settled", p.scheme, NO_LATE_FAILURE);
          toPaidOut(p);
          payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
          payments.lateFailureSettled(p);
        });
    scenarios.put(
        "payment_charged_back",
        (org, id) -> {
          Payment p = payment(org, id);
          toPaidOut(p);
          payments.chargeBack(p);
        });
    scenarios.put(
        "payment_chargeback_settled",
        (org, id) -> {
          Payment p = payment(org, id);
          toPaidOut(p);
          payments.chargeBack(p);
          payments.chargebackSettled(p);
        });
    scenarios.put(
        "mandate_activated",
        (org, id) -> {
          Mandate m = mandate(org, id);
          offered("mandate_activated", m.scheme, NO_MANDATE_ACTIVATED);
          require(m.status, List.of("pending_submission", "submitted"), "mandate_activated");
          if ("pending_submission".equals(m.status)) {
            mandates.submit(m);
          }
          mandates.activate(m);
        });
    scenarios.put(
        "mandate_failed",
        (org, id) -> {
          Mandate m = mandate(org, id);
          offered("mandate_failed", m.scheme, NO_MANDATE_FAILED);
          require(m.status, List.of("pending_submission", "submitted"), "mandate_failed");
          if ("pending_submission".equals(m.status)) {
            mandates.submit(m);
          }
          mandates.fail(m);
        });
    scenarios.put(
        "mandate_expired",
        (org, id) -> {
          Mandate m = mandate(org, id);
          offered("mandate_expired", m.scheme, NO_MANDATE_EXPIRED);
          require(
              m.status, List.of("pending_submission", "submitted", "active"), "mandate_expired");
          if ("pending_submission".equals(m.status)) {
            mandates.submit(m);
          }
          if ("submitted".equals(m.status)) {
            mandates.activate(m);
          }
          mandates.expire(m);
        });
    scenarios.put("refund_paid", (org, id) -> refunds.pay(state.refunds.find(org, id)));
    scenarios.put("refund_settled", (org, id) -> refunds.settle(state.refunds.find(org, id)));
    scenarios.put(
        "billing_request_fulfilled",
        (org, id) -> fulfilForScenario(billingRequest(org, id), p -> {}));
    scenarios.put(
        "billing_request_fulfilled_and_payment_failed",
        (org, id) ->
            fulfilForScenario(
                billingRequest(org, id),
                p -> {
                  toSubmitted(p);
                  payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
                }));
    scenarios.put(
        "billing_request_fulfilled_and_payment_confirmed_to_failed",
        (org, id) ->
            fulfilForScenario(
                billingRequest(org, id),
                p -> {
                  toConfirmed(p);
                  payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
                }));
    scenarios.put(
        "billing_request_fulfilled_and_payment_paid_out",
        (org, id) -> fulfilForScenario(billingRequest(org, id), this::toPaidOut));
  }

  /** Scenario identifiers this simulator runs. */
  public List<String> supported() {
    return List.copyOf(scenarios.keySet());
  }

  public void routes(Router router) {
    router.add("POST", "/scenario_simulators/:identity/actions/run", this::run);
  }

  private ApiResponse run(ApiRequest r) {
    BiConsumer<String, String> scenario = scenarios.get(r.id());
    if (scenario == null) {
      throw ApiException.invalidApiUsage(
          404,
          "resource_not_found",
          "Scenario simulator " + r.id() + " is not supported by the simulator");
    }
    JsonNode links = Json.object(r.data(), "links");
    String resource = links == null ? null : Json.text(links, "resource");
    if (resource == null) {
      new ApiException.Validation("data").field("links.resource", "is required").throwIfInvalid();
    }
    scenario.accept(r.organisationId(), resource);
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("id", r.id());
    return ApiResponse.ok("scenario_simulators", body);
  }

  private Creditor creditor(String org, String id) {
    return state.creditors.find(org, id);
  }

  private Payment payment(String org, String id) {
    return state.payments.find(org, id);
  }

  private Mandate mandate(String org, String id) {
    return state.mandates.find(org, id);
  }

  private BillingRequest billingRequest(String org, String id) {
    return state.billingRequests.find(org, id);
  }

  private static void offered(String scenario, String scheme, Set<String> notOffered) {
    if (notOffered.contains(scheme)) {
      throw ApiException.invalidState(
          "invalid_state",
          "Scenario " + scenario + " is not available for " + scheme + " resources");
    }
  }

  private static void require(String status, List<String> allowed, String scenario) {
    if (!allowed.contains(status)) {
      throw ApiException.invalidState(
          "invalid_state", "Scenario " + scenario + " can't run on a resource that is " + status);
    }
  }

  private void ensureMandateActive(Payment p) {
    if (p.instant) {
      return;
    }
    Mandate m = state.mandates.get(p.links.get("mandate"));
    if (m.isInactive()) {
      throw ApiException.invalidState(
          "invalid_state", "The payment's mandate is " + m.status + ", so the scenario can't run");
    }
    if ("pending_submission".equals(m.status)) {
      mandates.submit(m);
    }
    if ("submitted".equals(m.status)) {
      mandates.activate(m);
    }
  }

  private void toSubmitted(Payment p) {
    require(p.status, List.of("pending_submission"), "on this payment");
    ensureMandateActive(p);
    payments.submit(p);
  }

  private void toConfirmed(Payment p) {
    if ("pending_submission".equals(p.status)) {
      toSubmitted(p);
    }
    require(p.status, List.of("submitted"), "on this payment");
    payments.confirm(p);
  }

  private void toPaidOut(Payment p) {
    if (!"confirmed".equals(p.status)) {
      toConfirmed(p);
    }
    payments.payOut(p);
  }

  /**
   * Completes the outstanding payer actions of a billing request (bank details, bank authorisation)
   * and fulfils it.
   */
  private void fulfilForScenario(BillingRequest brq, Consumer<Payment> then) {
    if (brq.isFinal()) {
      throw ApiException.invalidState("invalid_state", "The billing request is " + brq.status);
    }
    if (brq.isPending("collect_customer_details")) {
      throw ApiException.invalidState(
          "invalid_state", "Customer details must be collected before this scenario can run");
    }
    if (brq.isPending("select_institution")) {
      billing.selectInstitution(brq, "monzo", "GB", "payer");
    }
    if (brq.action("bank_authorisation") != null && brq.isPending("bank_authorisation")) {
      billing.bankAuthorisation(brq, true);
    }
    if (brq.isPending("collect_bank_account")) {
      throw ApiException.invalidState(
          "invalid_state", "A bank account must be collected before this scenario can run");
    }
    if (brq.isPending("confirm_payer_details")) {
      billing.confirmPayerDetails(
          brq, tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "payer");
    }
    billing.fulfil(brq, "api", null);
    String paymentId = brq.links.get("payment_request_payment");
    if (paymentId != null) {
      then.accept(state.payments.get(paymentId));
    }
  }
}
