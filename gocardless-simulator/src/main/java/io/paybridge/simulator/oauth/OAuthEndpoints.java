package io.paybridge.simulator.oauth;

import com.sun.net.httpserver.HttpExchange;
import io.paybridge.simulator.SimulatorSettings;
import io.paybridge.simulator.internal.AccessToken;
import io.paybridge.simulator.internal.Organisation;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Web;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The partner OAuth endpoints of the connect host (docs/gocardless/API.md §2): the consent page at
 * {@code GET /oauth/authorize} (a plain HTML form: pick or create an organisation, approve or
 * deny), the code exchange at {@code POST /oauth/access_token}, and {@code POST /oauth/revoke}.
 */
public final class OAuthEndpoints {
  private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  private final State state;
  private final JsonMapper mapper;
  private final SimulatorSettings.PartnerApp app;
  private final Organisations organisations;
  private final Map<String, Grant> codes = new LinkedHashMap<>();

  /** An authorisation code and what it grants. */
  private static final class Grant {
    String redirectUri;
    String organisationId;
    String scope;
    String email;
    Instant expiresAt;
    boolean used;
    String issuedToken;
  }

  public OAuthEndpoints(
      State state,
      JsonMapper mapper,
      SimulatorSettings.PartnerApp app,
      Organisations organisations) {
    this.state = state;
    this.mapper = mapper;
    this.app = app;
    this.organisations = organisations;
  }

  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    state.lock.lock();
    try {
      switch (path) {
        case "/oauth/authorize" -> {
          if ("GET".equals(method)) {
            consentPage(exchange, Web.query(exchange));
          } else if ("POST".equals(method)) {
            decide(exchange, Web.form(exchange));
          } else {
            Web.html(exchange, 405, "Method not allowed", "");
          }
        }
        case "/oauth/access_token" -> accessToken(exchange);
        case "/oauth/revoke" -> revoke(exchange);
        default -> Web.html(exchange, 404, "Not found", "<p>Unknown OAuth endpoint.</p>");
      }
    } finally {
      state.lock.unlock();
    }
  }

  /**
   * Checks client and redirect URI; answers an error page (never a redirect) when they are wrong.
   */
  private boolean validClient(HttpExchange exchange, Map<String, String> params)
      throws IOException {
    if (!app.clientId().equals(params.get("client_id"))) {
      Web.html(
          exchange, 400, "Invalid client", "<p id=\"error\">invalid_client: unknown client_id</p>");
      return false;
    }
    String redirectUri = params.get("redirect_uri");
    if (redirectUri == null || !app.redirectUris().contains(redirectUri)) {
      Web.html(
          exchange,
          400,
          "Invalid redirect URI",
          "<p id=\"error\">invalid_request: redirect_uri is not registered for this app</p>");
      return false;
    }
    return true;
  }

  private void consentPage(HttpExchange exchange, Map<String, String> q) throws IOException {
    if (!validClient(exchange, q)) {
      return;
    }
    String redirectUri = q.get("redirect_uri");
    String state = q.get("state");
    if (!"code".equals(q.get("response_type"))) {
      redirectError(
          exchange, redirectUri, "unsupported_response_type", "response_type must be code", state);
      return;
    }
    String scope = q.getOrDefault("scope", "read_write");
    if (!"read_write".equals(scope) && !"read_only".equals(scope)) {
      redirectError(
          exchange, redirectUri, "invalid_scope", "scope must be read_write or read_only", state);
      return;
    }
    StringBuilder html = new StringBuilder();
    html.append("<p><strong>")
        .append(Web.escape(app.name()))
        .append("</strong> would like ")
        .append("read_only".equals(scope) ? "read-only" : "read and write")
        .append(" access to your GoCardless account.</p>")
        .append("<form id=\"consent\" method=\"post\" action=\"/oauth/authorize\">");
    hidden(html, "client_id", q.get("client_id"));
    hidden(html, "redirect_uri", redirectUri);
    hidden(html, "scope", scope);
    hidden(html, "state", state);
    html.append("<h2>Organisation</h2>");
    boolean first = true;
    for (Organisation o : this.state.organisations.values()) {
      html.append("<label><input type=\"radio\" name=\"organisation\" value=\"")
          .append(Web.escape(o.id))
          .append('"')
          .append(first && !"signup".equals(q.get("initial_view")) ? " checked" : "")
          .append("> ")
          .append(Web.escape(o.name))
          .append(" (")
          .append(Web.escape(o.id))
          .append(", creditor verification: ")
          .append(Web.escape(this.state.creditors.get(o.creditorId).verificationStatus))
          .append(")</label>");
      first = false;
    }
    html.append("<label><input type=\"radio\" name=\"organisation\" value=\"new\"")
        .append(first || "signup".equals(q.get("initial_view")) ? " checked" : "")
        .append("> Create a new organisation</label>");
    html.append("<label>Organisation name <input type=\"text\" name=\"organisation_name\" value=\"")
        .append(Web.escape(q.getOrDefault("prefill[organisation_name]", "")))
        .append("\"></label>");
    html.append("<label>Email <input type=\"email\" name=\"email\" value=\"")
        .append(Web.escape(q.getOrDefault("prefill[email]", "")))
        .append("\"></label>");
    html.append("<button type=\"submit\" name=\"decision\" value=\"approve\">Connect</button>")
        .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
    Web.html(exchange, 200, "Connect to " + app.name(), html.toString());
  }

  private static void hidden(StringBuilder html, String name, String value) {
    if (value != null) {
      html.append("<input type=\"hidden\" name=\"")
          .append(name)
          .append("\" value=\"")
          .append(Web.escape(value))
          .append("\">");
    }
  }

  private void decide(HttpExchange exchange, Map<String, String> form) throws IOException {
    if (!validClient(exchange, form)) {
      return;
    }
    String redirectUri = form.get("redirect_uri");
    String clientState = form.get("state");
    if (!"approve".equals(form.get("decision"))) {
      redirectError(
          exchange,
          redirectUri,
          "access_denied",
          "The user denied access to your app",
          clientState);
      return;
    }
    String choice = form.getOrDefault("organisation", "new");
    Organisation organisation;
    String email = blankToNull(form.get("email"));
    if ("new".equals(choice)) {
      String name = blankToNull(form.get("organisation_name"));
      organisation =
          organisations.create(
              null, null, name == null ? "New Organisation" : name, email, "action_required", true);
    } else {
      organisation = state.organisation(choice);
      if (organisation == null) {
        Web.html(exchange, 400, "Unknown organisation", "<p id=\"error\">Unknown organisation</p>");
        return;
      }
      organisation.connectedToApp = true;
      if (email != null) {
        organisation.email = email;
      }
    }
    Grant grant = new Grant();
    grant.redirectUri = redirectUri;
    grant.organisationId = organisation.id;
    grant.scope = form.getOrDefault("scope", "read_write");
    grant.email =
        organisation.email != null
            ? organisation.email
            : "owner@" + organisation.id.toLowerCase() + ".example.com";
    grant.expiresAt = Instant.now().plus(CODE_LIFETIME);
    String code = state.ids.secret("", 32);
    codes.put(code, grant);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    params.put("state", clientState);
    Web.redirect(exchange, 302, Web.withQuery(redirectUri, params));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private void redirectError(
      HttpExchange exchange,
      String redirectUri,
      String error,
      String description,
      String clientState)
      throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error);
    params.put("error_description", description);
    params.put("state", clientState);
    Web.redirect(exchange, 302, Web.withQuery(redirectUri, params));
  }

  private Map<String, String> params(HttpExchange exchange) throws IOException {
    byte[] body = Web.body(exchange);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    Map<String, String> params = new LinkedHashMap<>();
    if (contentType != null && contentType.startsWith("application/json") && body.length > 0) {
      try {
        JsonNode json = mapper.readTree(body);
        for (Map.Entry<String, JsonNode> e : json.properties()) {
          params.put(e.getKey(), e.getValue().asString());
        }
      } catch (RuntimeException e) {
        return params;
      }
    } else {
      params.putAll(Web.parseForm(new String(body, StandardCharsets.UTF_8)));
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        params.putIfAbsent("client_id", Web.decode(decoded.substring(0, colon)));
        params.putIfAbsent("client_secret", Web.decode(decoded.substring(colon + 1)));
      }
    }
    return params;
  }

  private void accessToken(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      oauthError(exchange, 405, "invalid_request", "Use POST");
      return;
    }
    Map<String, String> p = params(exchange);
    if (!app.clientId().equals(p.get("client_id"))
        || !app.clientSecret().equals(p.get("client_secret"))) {
      oauthError(
          exchange,
          401,
          "invalid_client",
          "Client authentication failed due to unknown client, no client authentication included,"
              + " or unsupported authentication method.");
      return;
    }
    if (!"authorization_code".equals(p.get("grant_type"))) {
      oauthError(
          exchange,
          400,
          "unsupported_grant_type",
          "The authorization grant type is not supported by the authorization server.");
      return;
    }
    Grant grant = p.get("code") == null ? null : codes.get(p.get("code"));
    String invalidGrant =
        "The provided authorization grant is invalid, expired, revoked, does not match the"
            + " redirection URI used in the authorization request, or was issued to another client.";
    if (grant == null || Instant.now().isAfter(grant.expiresAt)) {
      oauthError(exchange, 400, "invalid_grant", invalidGrant);
      return;
    }
    if (grant.used) {
      // A second exchange of the same code revokes what the first one issued
      // (docs/gocardless/API.md §2.3).
      if (grant.issuedToken != null) {
        state.tokens.remove(grant.issuedToken);
        grant.issuedToken = null;
      }
      oauthError(exchange, 400, "invalid_grant", invalidGrant);
      return;
    }
    if (!grant.redirectUri.equals(p.get("redirect_uri"))) {
      oauthError(exchange, 400, "invalid_grant", invalidGrant);
      return;
    }
    grant.used = true;
    AccessToken token = organisations.issueToken(grant.organisationId, grant.scope);
    grant.issuedToken = token.token();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.token());
    body.put("scope", grant.scope);
    body.put("token_type", "bearer");
    body.put("organisation_id", grant.organisationId);
    body.put("email", grant.email);
    json(exchange, 200, body);
  }

  private void revoke(HttpExchange exchange) throws IOException {
    Map<String, String> p = params(exchange);
    if (!app.clientId().equals(p.get("client_id"))
        || !app.clientSecret().equals(p.get("client_secret"))) {
      oauthError(exchange, 401, "invalid_client", "Client authentication failed.");
      return;
    }
    AccessToken token = p.get("token") == null ? null : state.tokens.get(p.get("token"));
    if (token != null && token.viaApp()) {
      state.tokens.remove(token.token());
    }
    json(exchange, 200, Map.of());
  }

  private void oauthError(HttpExchange exchange, int status, String error, String description)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    json(exchange, status, body);
  }

  private void json(HttpExchange exchange, int status, Object body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    Web.send(exchange, status, "application/json", mapper.writeValueAsBytes(body));
  }
}
