package io.paybridge.simulator.billing;

import com.sun.net.httpserver.HttpExchange;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Web;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated bank at a bank authorisation's {@code url} ({@code /obauth/BAU...}): a plain HTML
 * page where the payer authorises or refuses; the form POSTs to the same URL and is answered 303 to
 * the {@code redirect_uri} with {@code outcome=success|failure|timeout} (and {@code id} = the
 * billing request's flow, when it has one), as docs/gocardless/API.md §3.6 describes.
 */
public final class BankAuthorisationPage {
  private final State state;
  private final BankAuthorisations authorisations;

  public BankAuthorisationPage(State state, BankAuthorisations authorisations) {
    this.state = state;
    this.authorisations = authorisations;
  }

  public void handle(HttpExchange exchange) throws IOException {
    String id = exchange.getRequestURI().getPath().substring("/obauth/".length());
    Map<String, String> form =
        "POST".equals(exchange.getRequestMethod()) ? Web.form(exchange) : Map.of();
    state.lock.lock();
    try {
      BankAuthorisation b = state.bankAuthorisations.get(id);
      if (b == null) {
        Web.html(exchange, 404, "Page not found", "<p>This bank link does not exist.</p>");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        authorisations.visited(b);
        Web.html(
            exchange,
            200,
            "Simulated bank",
            "<p>Authorise the "
                + Web.escape(b.authorisationType)
                + " for billing request <code>"
                + Web.escape(b.links.get("billing_request"))
                + "</code>?</p><form method=\"post\" action=\"/obauth/"
                + Web.escape(b.id)
                + "\"><button name=\"decision\" value=\"authorise\">Authorise</button>"
                + "<button name=\"decision\" value=\"deny\">Deny</button></form>");
        return;
      }
      String outcome;
      try {
        outcome = authorisations.decide(b, "authorise".equals(form.get("decision")));
      } catch (ApiException e) {
        Web.html(exchange, 422, "Simulated bank", "<p>" + Web.escape(e.getMessage()) + "</p>");
        return;
      }
      Map<String, String> params = new LinkedHashMap<>();
      params.put("outcome", outcome);
      for (BillingRequestFlow flow :
          state.flows.list(
              f -> b.links.get("billing_request").equals(f.links.get("billing_request")))) {
        params.put("id", flow.id);
        break;
      }
      Web.redirect(exchange, 303, Web.withQuery(b.redirectUri, params));
    } finally {
      state.lock.unlock();
    }
  }
}
