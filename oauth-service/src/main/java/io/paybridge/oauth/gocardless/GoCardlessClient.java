package io.paybridge.oauth.gocardless;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The GoCardless calls of onboarding: the OAuth connect endpoints (docs/gocardless/API.md §2) and
 * the creditors API. The OAuth dance has no official client; the creditor reads are two GETs, so a
 * plain HTTP client is enough here.
 *
 * <p>Nothing here retries: a code must be exchanged at most once (a second exchange revokes the
 * token GoCardless issued for it), and the callers decide what a failure means.
 */
@Component
public class GoCardlessClient {

  private static final String API_VERSION = "2015-07-06";
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,50}");

  private final GoCardlessProperties properties;
  private final ObjectMapper mapper;
  private final RestClient http;

  GoCardlessClient(
      GoCardlessProperties properties, RestClient.Builder builder, ObjectMapper mapper) {
    this.properties = properties;
    this.mapper = mapper;
    var jdk =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    var factory = new JdkClientHttpRequestFactory(jdk);
    factory.setReadTimeout(properties.readTimeout());
    this.http = builder.clone().requestFactory(factory).build();
  }

  /** The authorize URL a merchant's browser is sent to (docs/gocardless/API.md §2.2). */
  public String authorizeUrl(String state, Map<String, String> extraParameters) {
    var params = new LinkedHashMap<String, String>();
    params.put("response_type", "code");
    params.put("client_id", properties.clientId());
    params.put("redirect_uri", properties.redirectUri());
    params.put("scope", properties.scope());
    params.put("state", state);
    extraParameters.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            params.put(k, v);
          }
        });
    return properties.authorizeUrl()
        + "?"
        + params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  /**
   * Exchanges an authorization code for the merchant's access token, once (docs/gocardless/API.md
   * §2.3).
   */
  public TokenGrant exchange(String code) {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", properties.redirectUri());
    form.put("client_id", properties.clientId());
    form.put("client_secret", properties.clientSecret());
    JsonNode body = json("the code exchange", postForm("/oauth/access_token", form));
    String token = text(body, "access_token");
    String organisation = text(body, "organisation_id");
    if (token == null || organisation == null) {
      throw new GoCardlessUnavailableException("The token response lacks a token or organisation");
    }
    return new TokenGrant(token, organisation, text(body, "scope"), text(body, "email"));
  }

  /**
   * Revokes a token at GoCardless (partner-initiated disconnect; docs/gocardless/API.md §2.5,
   * unconfirmed).
   */
  public void revoke(String accessToken) {
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", properties.clientId());
    form.put("client_secret", properties.clientSecret());
    form.put("token", accessToken);
    checked("the token revocation", postForm("/oauth/revoke", form));
  }

  /** The merchant's creditor: a connected account has one, partners take the first (§2.4). */
  public Creditor firstCreditor(String accessToken) {
    JsonNode body = json("the creditor read", api(accessToken, "/creditors?limit=1"));
    JsonNode creditors = body.get("creditors");
    if (creditors == null || !creditors.isArray() || creditors.isEmpty()) {
      throw new GoCardlessRejectedException(404, "no_creditor");
    }
    return creditor(creditors.get(0));
  }

  /** One creditor of the merchant. */
  public Creditor creditor(String accessToken, String creditorId) {
    JsonNode body = json("the creditor read", api(accessToken, "/creditors/" + encode(creditorId)));
    JsonNode creditor = body.get("creditors");
    if (creditor == null || !creditor.isObject()) {
      throw new GoCardlessUnavailableException("The creditor response has no creditor");
    }
    return creditor(creditor);
  }

  /**
   * The form is written as bytes here: RestClient logs a body object it converts (at DEBUG, {@code
   * Writing [{client_secret=[...], code=[...]}]}), and a byte array prints as its type only.
   */
  private Answer postForm(String path, Map<String, String> form) {
    byte[] body =
        form.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"))
            .getBytes(StandardCharsets.UTF_8);
    return send(
        http.post()
            .uri(properties.connectUrl() + path)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .accept(MediaType.APPLICATION_JSON)
            .body(body));
  }

  private Answer api(String accessToken, String path) {
    return send(
        http.get()
            .uri(properties.apiUrl() + path)
            .header("Authorization", "Bearer " + accessToken)
            .header("GoCardless-Version", API_VERSION)
            .accept(MediaType.APPLICATION_JSON));
  }

  /**
   * Status and body, read raw: RestClient's own status exceptions carry the response body in their
   * message, and a token response holds the merchant's access token.
   */
  private static Answer send(RestClient.RequestHeadersSpec<?> request) {
    try {
      return request.exchange(
          (req, response) ->
              new Answer(response.getStatusCode().value(), response.getBody().readAllBytes()));
    } catch (RestClientException e) {
      throw new GoCardlessUnavailableException("GoCardless could not be reached");
    }
  }

  private record Answer(int status, byte[] body) {}

  /** Fails unless GoCardless answered 2xx; the message names the operation and status only. */
  private Answer checked(String operation, Answer answer) {
    int status = answer.status();
    if (status >= 500 || status == 429) {
      throw new GoCardlessUnavailableException(
          "GoCardless answered " + status + " to " + operation);
    }
    if (status >= 300) {
      throw new GoCardlessRejectedException(status, errorCode(answer));
    }
    return answer;
  }

  private JsonNode json(String operation, Answer answer) {
    try {
      JsonNode body = mapper.readTree(checked(operation, answer).body());
      if (body == null || !body.isObject()) {
        throw new GoCardlessUnavailableException(
            "GoCardless answered no JSON object to " + operation);
      }
      return body;
    } catch (JacksonException e) {
      throw new GoCardlessUnavailableException("GoCardless answered no JSON to " + operation);
    }
  }

  private static Creditor creditor(JsonNode node) {
    return new Creditor(text(node, "id"), text(node, "name"), text(node, "verification_status"));
  }

  /**
   * The error code of an OAuth ({@code error}) or API ({@code error.errors[0].reason}) error. Only
   * a code-shaped value is kept, as it ends up in exception messages and logs.
   */
  private String errorCode(Answer answer) {
    String code = null;
    try {
      JsonNode error = mapper.readTree(answer.body()).get("error");
      if (error != null && error.isString()) {
        code = error.asString();
      } else if (error != null
          && error.get("errors") != null
          && !error.get("errors").isEmpty()
          && text(error.get("errors").get(0), "reason") != null) {
        code = text(error.get("errors").get(0), "reason");
      } else if (error != null) {
        code = text(error, "type");
      }
    } catch (JacksonException ignored) {
      // Not JSON: the status is all we know.
    }
    return code != null && ERROR_CODE.matcher(code).matches() ? code : "http_" + answer.status();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Unused keys of the prefill are dropped; GoCardless's names (docs/gocardless/API.md §2.2). */
  public static Map<String, String> prefill(
      String email, String companyName, String countryCode, String initialView) {
    var params = new LinkedHashMap<String, String>();
    params.put("initial_view", initialView);
    params.put("prefill[email]", email);
    params.put("prefill[organisation_name]", companyName);
    params.put("prefill[country_code]", countryCode);
    return params;
  }
}
