package io.paybridge.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A payer completing a billing request flow on the simulator's hosted page, as a person with a
 * browser does: the page shows the next step as a plain HTML form ({@code <form id="<step>">}); the
 * payer fills each in with a UK payer's details (a Bacs bank account, the monzo institution) until
 * the page sends them to the flow's redirect URI. For tests and demos of the services that use the
 * simulator.
 */
public final class SimulatedPayer {

  private static final Pattern STEP = Pattern.compile("<form[^>]*id=\"([a-z_]+)\"");
  private static final int MOST_STEPS = 10;

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String givenName;

  /** A payer named {@code givenName} Osborne. */
  public SimulatedPayer(String givenName) {
    this.givenName = givenName;
  }

  /**
   * Completes the flow at {@code authorisationUrl} ({@code <base>/billing/static/flow?id=BRF…}).
   *
   * @return where the page finally sends the payer (the flow's redirect URI), or {@code null} when
   *     it shows its own success page
   * @throws IllegalStateException when a step is refused or the flow does not end in {@value
   *     #MOST_STEPS} steps
   */
  public String complete(String authorisationUrl) {
    var page = URI.create(authorisationUrl);
    String flowId = page.getRawQuery().replaceFirst("^.*\\bid=([^&]+).*$", "$1");
    for (int i = 0; i < MOST_STEPS; i++) {
      var shown = send(HttpRequest.newBuilder(page).GET());
      if (shown.statusCode() == 303) {
        return shown.headers().firstValue("Location").orElse(null);
      }
      if (shown.statusCode() != 200) {
        throw new IllegalStateException(
            "The hosted page answered " + shown.statusCode() + ": " + shown.body());
      }
      var step = STEP.matcher(shown.body());
      if (!step.find()) {
        if (shown.body().toLowerCase(java.util.Locale.ROOT).contains("success")) {
          return null;
        }
        throw new IllegalStateException("The hosted page shows no step: " + shown.body());
      }
      var answer =
          send(
              HttpRequest.newBuilder(
                      page.resolve("/billing/static/flow/" + step.group(1) + "?id=" + flowId))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form(fields(step.group(1))))));
      if (answer.statusCode() != 303) {
        throw new IllegalStateException(
            "Step " + step.group(1) + " answered " + answer.statusCode() + ": " + answer.body());
      }
    }
    throw new IllegalStateException("The hosted page did not complete in " + MOST_STEPS + " steps");
  }

  private Map<String, String> fields(String step) {
    return switch (step) {
      case "customer_details" ->
          Map.of(
              "given_name", givenName,
              "family_name", "Osborne",
              "email", "payer@example.com",
              "address_line1", "27 Acer Road",
              "city", "London",
              "postal_code", "E8 3GX",
              "country_code", "GB");
      case "institution" -> Map.of("institution", "monzo");
      case "bank_account" ->
          Map.of(
              "account_holder_name", givenName + " Osborne",
              "branch_code", "20-00-00",
              "account_number", "55779911");
      case "bank_authorisation" -> Map.of("decision", "authorise");
      default -> Map.of();
    };
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
