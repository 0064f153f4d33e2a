package io.paybridge.oauth.gocardless;

import com.gocardless.GoCardlessException;
import com.gocardless.errors.GoCardlessApiException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
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
 * The GoCardless calls of onboarding: the OAuth connect endpoints (docs/gocardless/API.md §2), over
 * plain HTTP as the official client has none for them, and the creditor reads of the API, through
 * the official client ({@code gocardless-pro}) with the merchant's token.
 *
 * <p>Nothing here retries: a code must be exchanged at most once (a second exchange revokes the
 * token GoCardless issued for it), and the callers decide what a failure means.
 */
@Component
public class GoCardlessClient {

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
    var creditors = api(accessToken, c -> c.creditors().list().withLimit(1).execute().getItems());
    if (creditors.isEmpty()) {
      throw new GoCardlessRejectedException(404, "no_creditor");
    }
    return creditor(creditors.getFirst());
  }

  /** One creditor of the merchant. */
  public Creditor creditor(String accessToken, String creditorId) {
    return creditor(api(accessToken, c -> c.creditors().get(creditorId).execute()));
  }

  /**
   * A read of GoCardless's API with the merchant's token, by the official client, made once (as
   * every call here): its failures as this package's exceptions, whose messages name the status and
   * GoCardless's error code only.
   */
  private <T> T api(String accessToken, Function<com.gocardless.GoCardlessClient, T> read) {
    // A client per read (the official client is bound to one token): creditor reads are rare (a
    // connection, a review, a creditor event), so its idle connection, closed by OkHttp after five
    // minutes, is not worth a cache of clients keyed by merchants' tokens.
    var client =
        com.gocardless.GoCardlessClient.newBuilder(accessToken)
            .withBaseUrl(properties.apiUrl())
            .withConnectTimeout(properties.connectTimeout())
            .withReadTimeout(properties.readTimeout())
            .withMaxNoOfRetries(1) // counted in attempts (stopAfterAttempt): one, no retry
            .build();
    try {
      return read.apply(client);
    } catch (GoCardlessApiException e) {
      int status = e.getCode();
      if (status >= 500 || status == 429) {
        throw new GoCardlessUnavailableException(
            "GoCardless answered " + status + " to the creditor read");
      }
      String reason =
          !e.getErrors().isEmpty()
              ? e.getErrors().getFirst().getReason()
              : e.getType() == null ? null : e.getType().name().toLowerCase(Locale.ROOT);
      throw new GoCardlessRejectedException(status, errorCode(reason, status));
    } catch (GoCardlessException e) {
      // The network (GoCardlessNetworkException) or an answer that is not GoCardless's JSON.
      throw new GoCardlessUnavailableException(
          "GoCardless could not be reached for the creditor read");
    }
  }

  private static Creditor creditor(com.gocardless.resources.Creditor creditor) {
    var status = creditor.getVerificationStatus();
    return new Creditor(
        creditor.getId(),
        creditor.getName(),
        status == null ? null : status.name().toLowerCase(Locale.ROOT));
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
    return errorCode(code, answer.status());
  }

  /** Only a code-shaped value is kept, as it ends up in exception messages and logs. */
  private static String errorCode(String code, int status) {
    return code != null && ERROR_CODE.matcher(code).matches() ? code : "http_" + status;
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
