package io.paybridge.oauth.gocardless;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

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

  private final GoCardlessProperties properties;
  private final RestClient http;

  GoCardlessClient(GoCardlessProperties properties, RestClient.Builder builder) {
    this.properties = properties;
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
    return properties.connectUrl()
        + "/oauth/authorize?"
        + params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  /**
   * Exchanges an authorization code for the merchant's access token, once (docs/gocardless/API.md
   * §2.3).
   */
  public TokenGrant exchange(String code) {
    var form = new LinkedMultiValueMap<String, String>();
    form.add("grant_type", "authorization_code");
    form.add("code", code);
    form.add("redirect_uri", properties.redirectUri());
    form.add("client_id", properties.clientId());
    form.add("client_secret", properties.clientSecret());
    JsonNode body =
        call(
            () ->
                http.post()
                    .uri(properties.connectUrl() + "/oauth/access_token")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(form)
                    .retrieve()
                    .body(JsonNode.class));
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
    var form = new LinkedMultiValueMap<String, String>();
    form.add("client_id", properties.clientId());
    form.add("client_secret", properties.clientSecret());
    form.add("token", accessToken);
    call(
        () ->
            http.post()
                .uri(properties.connectUrl() + "/oauth/revoke")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form)
                .retrieve()
                .toBodilessEntity());
  }

  /** The merchant's creditor: a connected account has one, partners take the first (§2.4). */
  public Creditor firstCreditor(String accessToken) {
    JsonNode body = call(() -> api(accessToken, "/creditors?limit=1"));
    JsonNode creditors = body == null ? null : body.get("creditors");
    if (creditors == null || !creditors.isArray() || creditors.isEmpty()) {
      throw new GoCardlessRejectedException(404, "no_creditor");
    }
    return creditor(creditors.get(0));
  }

  /** One creditor of the merchant. */
  public Creditor creditor(String accessToken, String creditorId) {
    JsonNode body = call(() -> api(accessToken, "/creditors/" + encode(creditorId)));
    JsonNode creditor = body == null ? null : body.get("creditors");
    if (creditor == null || !creditor.isObject()) {
      throw new GoCardlessUnavailableException("The creditor response has no creditor");
    }
    return creditor(creditor);
  }

  private JsonNode api(String accessToken, String path) {
    return http.get()
        .uri(properties.apiUrl() + path)
        .header("Authorization", "Bearer " + accessToken)
        .header("GoCardless-Version", API_VERSION)
        .accept(MediaType.APPLICATION_JSON)
        .retrieve()
        .body(JsonNode.class);
  }

  private static Creditor creditor(JsonNode node) {
    return new Creditor(text(node, "id"), text(node, "name"), text(node, "verification_status"));
  }

  private static <T> T call(java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (HttpStatusCodeException e) {
      int status = e.getStatusCode().value();
      if (status >= 500 || status == 429) {
        throw new GoCardlessUnavailableException("GoCardless answered " + status);
      }
      throw new GoCardlessRejectedException(status, errorCode(e));
    } catch (ResourceAccessException e) {
      throw new GoCardlessUnavailableException("GoCardless could not be reached");
    }
  }

  /** The error code of an OAuth ({@code error}) or API ({@code error.errors[0].reason}) error. */
  private static String errorCode(HttpStatusCodeException e) {
    try {
      JsonNode body =
          new tools.jackson.databind.ObjectMapper().readTree(e.getResponseBodyAsString());
      JsonNode error = body.get("error");
      if (error != null && error.isString()) {
        return error.asString();
      }
      if (error != null && error.get("errors") != null && !error.get("errors").isEmpty()) {
        String reason = text(error.get("errors").get(0), "reason");
        if (reason != null) {
          return reason;
        }
      }
      if (error != null && text(error, "type") != null) {
        return text(error, "type");
      }
    } catch (RuntimeException ignored) {
      // Not JSON: the status is all we know.
    }
    return "http_" + e.getStatusCode().value();
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
