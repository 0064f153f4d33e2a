package io.paybridge.simulator.creditors;

import com.sun.net.httpserver.HttpExchange;
import io.paybridge.simulator.internal.Organisation;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Web;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The merchant's verification flow, GoCardless's {@code verify[-sandbox].gocardless.com}
 * (docs/gocardless/API.md §2.4), at {@code /verify?organisation=OR...}. GoCardless knows the
 * merchant from its login; the simulator has no login, so the organisation is in the link.
 *
 * <p>A creditor in {@code action_required} shows a details form; submitting it (POST to the same
 * URL) moves the creditor to {@code in_review}, and the clock moving past the review delay moves it
 * to {@code successful}. Each change emits {@code creditors}/{@code updated} with {@code
 * details.property = verification_status}, as the scenario simulators do. Plain HTML, no
 * JavaScript, like the consent and payer pages.
 */
public final class VerificationPage {
  private static final List<String> FIELDS = List.of("legal_name", "company_number", "director");

  private final State state;
  private final Creditors creditors;
  private final Duration reviewDelay;

  public VerificationPage(State state, Creditors creditors, Duration reviewDelay) {
    this.state = state;
    this.creditors = creditors;
    this.reviewDelay = reviewDelay;
  }

  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    Map<String, String> query = Web.query(exchange);
    Map<String, String> form = "POST".equals(method) ? Web.form(exchange) : Map.of();
    String organisationId = query.getOrDefault("organisation", form.get("organisation"));
    state.lock.lock();
    try {
      Organisation organisation =
          organisationId == null ? null : state.organisation(organisationId);
      if (organisation == null) {
        Web.html(
            exchange,
            404,
            "Page not found",
            "<p id=\"unknown\">This verification link names no GoCardless account.</p>");
        return;
      }
      Creditor creditor = state.creditors.get(organisation.creditorId);
      if ("GET".equals(method)) {
        show(exchange, organisation, creditor, 200, form, List.of());
      } else if ("POST".equals(method)) {
        submit(exchange, organisation, creditor, form);
      } else {
        Web.html(exchange, 405, "Method not allowed", "<p>Use the form.</p>");
      }
    } finally {
      state.lock.unlock();
    }
  }

  private void submit(
      HttpExchange exchange, Organisation organisation, Creditor creditor, Map<String, String> form)
      throws IOException {
    // A second submit (back button, double click) while in review or verified changes nothing.
    if ("action_required".equals(creditor.verificationStatus)) {
      List<String> missing = new ArrayList<>();
      for (String field : FIELDS) {
        String value = form.get(field);
        if (value == null || value.isBlank()) {
          missing.add(field);
        }
      }
      if (!missing.isEmpty()) {
        show(exchange, organisation, creditor, 422, form, missing);
        return;
      }
      creditors.detailsSubmitted(creditor, state.now().plus(reviewDelay));
    }
    Web.redirect(exchange, 303, "/verify?organisation=" + Web.encode(organisation.id));
  }

  private void show(
      HttpExchange exchange,
      Organisation organisation,
      Creditor creditor,
      int status,
      Map<String, String> form,
      List<String> missing)
      throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<p>Account <code>")
        .append(Web.escape(organisation.id))
        .append("</code>, creditor <code>")
        .append(Web.escape(creditor.id))
        .append("</code> (")
        .append(Web.escape(creditor.name))
        .append("): <strong id=\"verification_status\">")
        .append(Web.escape(creditor.verificationStatus))
        .append("</strong></p>");
    switch (creditor.verificationStatus) {
      case "action_required" -> {
        if (!missing.isEmpty()) {
          html.append("<div id=\"errors\" style=\"color:#b00\"><ul>");
          for (String field : missing) {
            html.append("<li>").append(Web.escape(field)).append(": can't be blank</li>");
          }
          html.append("</ul></div>");
        }
        html.append(
                "<form id=\"verification_details\" method=\"post\" action=\"/verify?organisation=")
            .append(Web.escape(Web.encode(organisation.id)))
            .append("\"><h2>Tell us about your business</h2>");
        Web.textField(
            html, "legal_name", "Legal name", form.getOrDefault("legal_name", creditor.name));
        Web.textField(
            html, "company_number", "Company registration number", form.get("company_number"));
        Web.textField(html, "director", "Director's full name", form.get("director"));
        html.append("<button type=\"submit\">Submit for review</button></form>");
      }
      case "in_review" ->
          html.append(
              "<p id=\"in_review\">Thank you. GoCardless is reviewing your details; you will be"
                  + " able to receive payouts once the review is complete.</p>");
      default ->
          html.append("<p id=\"successful\">Your account is verified: nothing more to do.</p>");
    }
    Web.html(exchange, status, "Verify your account", html.toString());
  }
}
