package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.RECEIVER;
import static io.paybridge.simulator.TestSimulator.REDIRECT_URI;
import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static io.paybridge.simulator.TestSimulator.get;
import static io.paybridge.simulator.TestSimulator.location;
import static io.paybridge.simulator.TestSimulator.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.AuthenticationException;
import com.gocardless.resources.Creditor;
import com.gocardless.resources.Event;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth connect (docs/gocardless/API.md §2) driven over plain HTTP, then the token used with the
 * official client.
 */
@ExtendWith(TestSimulator.class)
class OAuthConnectTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CLIENT_ID = SimulatorSettings.DEFAULT_CLIENT_ID;
  private static final String CLIENT_SECRET = SimulatorSettings.DEFAULT_CLIENT_SECRET;

  /** The token response. */
  record Token(String accessToken, String organisationId, String scope, String email) {}

  static String authorizeUrl(String scope, String state) {
    return SIM.connectUrl()
        + "/oauth/authorize?response_type=code&client_id="
        + CLIENT_ID
        + "&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT_URI, java.nio.charset.StandardCharsets.UTF_8)
        + "&scope="
        + scope
        + "&state="
        + state
        + "&prefill%5Bemail%5D=owner%40new.example.com&prefill%5Borganisation_name%5D=New+Shop";
  }

  /** Consent page → approve → code → token. {@code organisation} is an OR id or "new". */
  static Token connect(String scope, String organisation) {
    String code = approve(scope, organisation, "st-" + System.nanoTime());
    HttpResponse<String> token = exchange(code, CLIENT_SECRET, REDIRECT_URI);
    assertThat(token.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(token.body());
    return new Token(
        body.get("access_token").asString(),
        body.get("organisation_id").asString(),
        body.get("scope").asString(),
        body.get("email").asString());
  }

  static String approve(String scope, String organisation, String state) {
    HttpResponse<String> page = get(authorizeUrl(scope, state));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"consent\"").contains("value=\"New Shop\"");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", CLIENT_ID);
    form.put("redirect_uri", REDIRECT_URI);
    form.put("scope", scope);
    form.put("state", state);
    form.put("organisation", organisation);
    form.put("organisation_name", "New Shop");
    form.put("email", "owner@new.example.com");
    form.put("decision", "approve");
    HttpResponse<String> redirect = postForm("/oauth/authorize", form);
    assertThat(redirect.statusCode()).isEqualTo(302);
    Map<String, String> query = query(location(redirect));
    assertThat(location(redirect)).startsWith(REDIRECT_URI + "?");
    assertThat(query).containsEntry("state", state);
    return query.get("code");
  }

  static HttpResponse<String> exchange(String code, String secret, String redirectUri) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("client_id", CLIENT_ID);
    form.put("client_secret", secret);
    return postForm(SIM.connectUrl() + "/oauth/access_token", form);
  }

  static Map<String, String> query(String url) {
    Map<String, String> result = new LinkedHashMap<>();
    String raw = URI.create(url).getRawQuery();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      result.put(
          java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    return result;
  }

  @Test
  void newMerchantConnectsAndItsCreditorNeedsVerification() {
    Token token = connect("read_write", "new");
    assertThat(token.accessToken()).startsWith("sandbox_");
    assertThat(token.organisationId()).matches("OR[0-9A-Z]{12}");
    assertThat(token.scope()).isEqualTo("read_write");
    assertThat(token.email()).isEqualTo("owner@new.example.com");

    GoCardlessClient client = client(token.accessToken());
    List<Creditor> creditors = client.creditors().list().execute().getItems();
    assertThat(creditors)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("New Shop");
              assertThat(c.getVerificationStatus())
                  .isEqualTo(Creditor.VerificationStatus.ACTION_REQUIRED);
            });

    // Verification completes through the scenario simulators, emitting creditors/updated.
    String creditorId = creditors.get(0).getId();
    client
        .scenarioSimulators()
        .run("creditor_verification_status_in_review")
        .withLinksResource(creditorId)
        .execute();
    client
        .scenarioSimulators()
        .run("creditor_verification_status_successful")
        .withLinksResource(creditorId)
        .execute();
    assertThat(client.creditors().get(creditorId).execute().getVerificationStatus())
        .isEqualTo(Creditor.VerificationStatus.SUCCESSFUL);
    List<Event> updates = client.events().list().withCreditor(creditorId).execute().getItems();
    assertThat(updates)
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.getResourceType()).isEqualTo(Event.ResourceType.CREDITORS);
              assertThat(e.getAction()).isEqualTo("updated");
              assertThat(e.getDetails().getProperty()).isEqualTo("verification_status");
              assertThat(e.getDetails().getCause()).isEqualTo("creditor_updated");
              assertThat(e.getLinks().getOrganisation()).isEqualTo(token.organisationId());
            });
  }

  @Test
  void aCodeIsExchangedOnceAndASecondExchangeRevokesTheToken() {
    String code = approve("read_write", "OR0000SIMACME1", "once");
    HttpResponse<String> first = exchange(code, CLIENT_SECRET, REDIRECT_URI);
    assertThat(first.statusCode()).isEqualTo(200);
    String token = JSON.readTree(first.body()).get("access_token").asString();
    assertThat(client(token).creditors().get("CR0000SIMACME1").execute().getId())
        .isEqualTo("CR0000SIMACME1");

    HttpResponse<String> second = exchange(code, CLIENT_SECRET, REDIRECT_URI);
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(second.body()).get("error").asString()).isEqualTo("invalid_grant");
    assertThat(JSON.readTree(second.body()).get("error_description").asString()).isNotBlank();
    assertThatThrownBy(() -> client(token).creditors().list().execute())
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void wrongSecretRedirectOrCodeAreRejected() {
    String code = approve("read_write", "OR0000SIMACME1", "bad");
    HttpResponse<String> wrongSecret = exchange(code, "not-the-secret", REDIRECT_URI);
    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrongSecret.body()).get("error").asString())
        .isEqualTo("invalid_client");
    HttpResponse<String> wrongRedirect =
        exchange(code, CLIENT_SECRET, "http://localhost:9999/other");
    assertThat(JSON.readTree(wrongRedirect.body()).get("error").asString())
        .isEqualTo("invalid_grant");
    HttpResponse<String> unknownCode = exchange("no-such-code", CLIENT_SECRET, REDIRECT_URI);
    assertThat(unknownCode.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknownCode.body()).get("error").asString())
        .isEqualTo("invalid_grant");
    // the code is still good: failed attempts did not use it
    assertThat(exchange(code, CLIENT_SECRET, REDIRECT_URI).statusCode()).isEqualTo(200);
  }

  @Test
  void denyingAccessRedirectsWithAccessDenied() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", CLIENT_ID);
    form.put("redirect_uri", REDIRECT_URI);
    form.put("scope", "read_write");
    form.put("state", "xyz");
    form.put("decision", "deny");
    HttpResponse<String> redirect = postForm("/oauth/authorize", form);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(query(location(redirect)))
        .containsEntry("error", "access_denied")
        .containsEntry("state", "xyz")
        .containsKey("error_description");
  }

  @Test
  void unregisteredRedirectUriGetsAnErrorPageNotARedirect() {
    HttpResponse<String> page =
        get(
            SIM.connectUrl()
                + "/oauth/authorize?response_type=code&client_id="
                + CLIENT_ID
                + "&redirect_uri=https%3A%2F%2Fevil.example.com%2F&scope=read_write&state=s");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void disconnectingEmitsOrganisationsDisconnectedWithNullIdAndRevokesTokens() {
    Token token = connect("read_write", "new");
    HttpResponse<String> response =
        TestSimulator.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(
                        SIM.baseUrl()
                            + "/_simulator/organisations/"
                            + token.organisationId()
                            + "/disconnect"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> client(token.accessToken()).creditors().list().execute())
        .isInstanceOf(AuthenticationException.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(RECEIVER.events())
                    .filteredOn(e -> e.getResourceType() == Event.ResourceType.ORGANISATIONS)
                    .filteredOn(e -> token.organisationId().equals(e.getLinks().getOrganisation()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getId()).isNull();
                          assertThat(e.getAction()).isEqualTo("disconnected");
                          assertThat(e.getDetails().getCause()).isEqualTo("app_disconnected");
                        }));
    // a second disconnect has nothing to do
    assertThat(SIM.disconnect(token.organisationId())).isFalse();
  }
}
