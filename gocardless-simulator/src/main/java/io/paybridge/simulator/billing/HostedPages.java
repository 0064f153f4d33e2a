package io.paybridge.simulator.billing;

import com.sun.net.httpserver.HttpExchange;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Web;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hosted payer pages at a flow's {@code authorisation_url} ({@code
 * /billing/static/flow?id=BRF...}). Plain HTML forms (no JavaScript), so a test can drive them with
 * any HTTP client: each step POSTs to {@code /billing/static/flow/<step>?id=BRF...} and is answered
 * with 303 back to the flow page, until the request is fulfilled and the payer is sent (303) to the
 * flow's {@code redirect_uri}.
 */
public final class HostedPages {
  private final State state;
  private final BillingRequests billing;

  public HostedPages(State state, BillingRequests billing) {
    this.state = state;
    this.billing = billing;
  }

  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Map<String, String> query = Web.query(exchange);
    Map<String, String> form = "POST".equals(method) ? Web.form(exchange) : Map.of();
    String flowId = query.getOrDefault("id", form.get("id"));
    state.lock.lock();
    try {
      BillingRequestFlow flow = flowId == null ? null : state.flows.get(flowId);
      if (flow == null) {
        Web.html(exchange, 404, "Page not found", "<p>This payment link does not exist.</p>");
        return;
      }
      BillingRequest brq = state.billingRequests.get(flow.links.get("billing_request"));
      if (flow.expiry != null && state.now().isAfter(flow.expiry)) {
        flow.expired = true;
      }
      if ("fulfilled".equals(brq.status)) {
        finished(exchange, flow, brq);
        return;
      }
      if (flow.expired || "cancelled".equals(brq.status)) {
        Web.html(
            exchange,
            410,
            "This link has expired",
            "<p id=\"expired\">This payment link is no longer valid. Please ask for a new one.</p>");
        return;
      }
      String step = path.substring("/billing/static/flow".length());
      if ("GET".equals(method) && step.isEmpty()) {
        if (!flow.visited) {
          flow.visited = true;
          billing.flowEvent(brq, flow, "flow_visited");
        }
        show(exchange, flow, brq, null);
        return;
      }
      if ("/exit".equals(step)) {
        billing.flowEvent(brq, flow, "flow_exited");
        if (flow.exitUri != null) {
          Web.redirect(exchange, 303, flow.exitUri);
        } else {
          Web.html(
              exchange,
              200,
              "You left the payment",
              "<p id=\"exited\">You can close this page.</p>");
        }
        return;
      }
      if (!"POST".equals(method)) {
        Web.html(exchange, 405, "Method not allowed", "<p>Use the form.</p>");
        return;
      }
      try {
        switch (step) {
          case "/customer_details" -> {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            ObjectNode customer = data.putObject("customer");
            ObjectNode detail = data.putObject("customer_billing_detail");
            for (String f : new String[] {"given_name", "family_name", "company_name", "email"}) {
              putIfPresent(customer, f, form.get(f));
            }
            for (String f :
                new String[] {
                  "address_line1", "address_line2", "city", "postal_code", "country_code"
                }) {
              putIfPresent(detail, f, form.get(f));
            }
            billing.collectCustomerDetails(brq, data, "payer");
          }
          case "/institution" -> {
            String institution = form.get("institution");
            Institutions.Institution found =
                institution == null ? null : Institutions.find(institution);
            billing.selectInstitution(
                brq, institution, found == null ? null : found.countryCode(), "payer");
          }
          case "/bank_account" -> {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            for (String f :
                new String[] {
                  "account_holder_name", "branch_code", "account_number", "iban", "country_code"
                }) {
              putIfPresent(data, f, form.get(f));
            }
            billing.collectBankAccount(brq, data, "payer");
          }
          case "/bank_authorisation" ->
              billing.bankAuthorisation(brq, "authorise".equals(form.get("decision")));
          case "/confirm" ->
              billing.confirmPayerDetails(brq, JsonNodeFactory.instance.objectNode(), "payer");
          default -> {
            Web.html(exchange, 404, "Page not found", "<p>Unknown step.</p>");
            return;
          }
        }
      } catch (ApiException e) {
        show(exchange, flow, brq, e);
        return;
      }
      billing.autoFulfil(brq);
      Web.redirect(exchange, 303, "/billing/static/flow?id=" + flow.id);
    } finally {
      state.lock.unlock();
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null && !value.isBlank()) {
      node.put(field, value.trim());
    }
  }

  private void finished(HttpExchange exchange, BillingRequestFlow flow, BillingRequest brq)
      throws IOException {
    if (flow.redirectUri != null) {
      Web.redirect(exchange, 303, flow.redirectUri);
      return;
    }
    Web.html(
        exchange,
        200,
        "All done",
        "<p id=\"success\">Thank you. Billing request <code>"
            + Web.escape(brq.id)
            + "</code> is "
            + Web.escape(brq.status)
            + ".</p>");
  }

  private void show(
      HttpExchange exchange, BillingRequestFlow flow, BillingRequest brq, ApiException error)
      throws IOException {
    billing.render(brq);
    StringBuilder html = new StringBuilder();
    html.append(summary(brq));
    if (error != null) {
      html.append("<div id=\"errors\" style=\"color:#b00\"><p>")
          .append(Web.escape(error.getMessage()))
          .append("</p><ul>");
      for (ApiException.Detail d : error.errors()) {
        html.append("<li>")
            .append(Web.escape(d.field() == null ? "" : d.field() + ": "))
            .append(Web.escape(d.message()))
            .append("</li>");
      }
      html.append("</ul></div>");
    }
    String action = "/billing/static/flow/%s?id=" + Web.encode(flow.id);
    Customer customer = state.customers.get(brq.links.get("customer"));
    int status = error == null ? 200 : 422;
    if (brq.isPending("collect_customer_details") && !flow.lockCustomerDetails) {
      Map<String, String> pre = flow.prefilledCustomer == null ? Map.of() : flow.prefilledCustomer;
      html.append("<form id=\"customer_details\" method=\"post\" action=\"")
          .append(String.format(action, "customer_details"))
          .append("\"><h2>Your details</h2>");
      Web.textField(
          html, "given_name", "First name", value(customer.givenName, pre.get("given_name")));
      Web.textField(
          html, "family_name", "Last name", value(customer.familyName, pre.get("family_name")));
      Web.textField(
          html,
          "company_name",
          "Company name (optional)",
          value(customer.companyName, pre.get("company_name")));
      Web.textField(html, "email", "Email", value(customer.email, pre.get("email")));
      Web.textField(
          html, "address_line1", "Address", value(customer.addressLine1, pre.get("address_line1")));
      Web.textField(html, "city", "Town or city", value(customer.city, pre.get("city")));
      Web.textField(
          html, "postal_code", "Postcode", value(customer.postalCode, pre.get("postal_code")));
      Web.textField(
          html,
          "country_code",
          "Country code",
          value(customer.countryCode, pre.getOrDefault("country_code", "GB")));
      html.append("<button type=\"submit\">Continue</button></form>");
    } else if (brq.isPending("select_institution")) {
      html.append("<form id=\"institution\" method=\"post\" action=\"")
          .append(String.format(action, "institution"))
          .append("\"><h2>Choose your bank</h2><select name=\"institution\">");
      String country = customer.countryCode == null ? "GB" : customer.countryCode;
      for (Institutions.Institution i : Institutions.forCountry(country)) {
        html.append("<option value=\"")
            .append(Web.escape(i.id()))
            .append("\">")
            .append(Web.escape(i.name()))
            .append("</option>");
      }
      html.append("</select><button type=\"submit\">Continue</button></form>");
    } else if (brq.isPending("collect_bank_account") && !bankAuthorisationCollectsAccount(brq)) {
      String holder =
          customer.companyName != null
              ? customer.companyName
              : ((customer.givenName == null ? "" : customer.givenName)
                      + " "
                      + (customer.familyName == null ? "" : customer.familyName))
                  .trim();
      String currency =
          brq.mandateRequest != null && brq.mandateRequest.currency != null
              ? brq.mandateRequest.currency
              : "GBP";
      html.append("<form id=\"bank_account\" method=\"post\" action=\"")
          .append(String.format(action, "bank_account"))
          .append("\"><h2>Your bank details</h2>");
      Web.textField(html, "account_holder_name", "Account holder name", holder);
      if ("GBP".equals(currency)) {
        Web.textField(html, "branch_code", "Sort code", "");
        Web.textField(html, "account_number", "Account number", "");
      } else {
        Web.textField(html, "iban", "IBAN", "");
      }
      html.append("<button type=\"submit\">Continue</button></form>");
    } else if (brq.isPending("bank_authorisation")) {
      Institutions.Institution bank = Institutions.find(brq.institution);
      html.append("<form id=\"bank_authorisation\" method=\"post\" action=\"")
          .append(String.format(action, "bank_authorisation"))
          .append("\"><h2>")
          .append(Web.escape(bank == null ? "Your bank" : bank.name()))
          .append(" (simulated)</h2><p>Authorise ")
          .append(
              Web.escape(
                  "payment"
                          .equals(
                              brq.action("bank_authorisation")
                                  .bankAuthorisation
                                  .get("authorisation_type"))
                      ? "this payment"
                      : "access to verify your account"))
          .append(
              "?</p><button type=\"submit\" name=\"decision\" value=\"authorise\">Authorise</button>")
          .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
    } else if (brq.isPending("confirm_payer_details")) {
      CustomerBankAccount account = state.bankAccounts.get(brq.links.get("customer_bank_account"));
      html.append("<form id=\"confirm\" method=\"post\" action=\"")
          .append(String.format(action, "confirm"))
          .append("\"><h2>Confirm your details</h2><p>")
          .append(Web.escape(customer.givenName))
          .append(' ')
          .append(Web.escape(customer.familyName))
          .append(", ")
          .append(Web.escape(customer.email))
          .append("</p><p>Bank account ending ")
          .append(Web.escape(account == null ? "" : account.accountNumberEnding))
          .append("</p><button type=\"submit\">Confirm</button></form>");
    } else {
      html.append("<p id=\"waiting\">Nothing left to do on this page.</p>");
    }
    html.append("<p><a id=\"exit\" href=\"/billing/static/flow/exit?id=")
        .append(Web.encode(flow.id))
        .append("\">I can't continue</a></p>");
    Web.html(exchange, status, "Set up your payment", html.toString());
  }

  private static boolean bankAuthorisationCollectsAccount(BillingRequest brq) {
    BillingRequest.Action auth = brq.action("bank_authorisation");
    return auth != null && auth.completesActions.contains("collect_bank_account");
  }

  private String summary(BillingRequest brq) {
    StringBuilder s = new StringBuilder("<div id=\"summary\">");
    s.append("<p>To <strong>")
        .append(Web.escape(state.creditors.get(brq.links.get("creditor")).name))
        .append("</strong></p>");
    if (brq.paymentRequest != null) {
      s.append("<p>Pay ")
          .append(String.format("%.2f", brq.paymentRequest.amount / 100.0))
          .append(' ')
          .append(Web.escape(brq.paymentRequest.currency))
          .append(
              brq.paymentRequest.description == null
                  ? ""
                  : " for " + Web.escape(brq.paymentRequest.description))
          .append("</p>");
    }
    if (brq.mandateRequest != null) {
      s.append("<p>Set up a Direct Debit")
          .append(
              brq.mandateRequest.description == null
                  ? ""
                  : ": " + Web.escape(brq.mandateRequest.description))
          .append("</p>");
    }
    return s.append("</div>").toString();
  }

  private static String value(String current, String prefilled) {
    return current != null ? current : prefilled == null ? "" : prefilled;
  }
}
