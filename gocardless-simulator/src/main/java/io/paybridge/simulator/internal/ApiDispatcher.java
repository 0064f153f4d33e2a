package io.paybridge.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The conventions every API call goes through (docs/gocardless/API.md §1): bearer auth, rate limit
 * with {@code RateLimit-*} headers, the {@code GoCardless-Version} header, JSON parsing, routing,
 * error bodies and request ids.
 */
public final class ApiDispatcher {
  /** The only API version GoCardless has. */
  public static final String API_VERSION = "2015-07-06";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Router router;
  private final State state;
  private final JsonMapper mapper;
  private final int rateLimit;
  private final Duration rateWindow;

  /** The partner app's name: the {@code source} of events its tokens cause. */
  private final String appName;

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long startMillis;
    int count;
  }

  public ApiDispatcher(
      Router router,
      State state,
      JsonMapper mapper,
      int rateLimit,
      Duration rateWindow,
      String appName) {
    this.router = router;
    this.appName = appName;
    this.state = state;
    this.mapper = mapper;
    this.rateLimit = rateLimit;
    this.rateWindow = rateWindow;
  }

  public void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Request-Id", requestId);
    ApiResponse response;
    try {
      response = dispatch(exchange, requestId, headers);
    } catch (ApiException e) {
      response = ApiResponse.of(e.status(), errorBody(e, requestId));
    } catch (RuntimeException e) {
      ApiException internal =
          new ApiException(
              500,
              "gocardless",
              "Uh-oh! There was an internal error: " + e,
              "internal_server_error",
              List.of(
                  new ApiException.Detail(
                      "internal_server_error", "Internal server error", null, null, null)));
      response = ApiResponse.of(500, errorBody(internal, requestId));
    }
    headers.putAll(response.headers());
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = mapper.writeValueAsBytes(response.body());
    Web.send(exchange, response.status(), "application/json", body);
  }

  private ApiResponse dispatch(
      HttpExchange exchange, String requestId, Map<String, String> responseHeaders)
      throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    byte[] raw = Web.body(exchange);

    AccessToken token = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
    rateLimit(token, responseHeaders);

    String version = exchange.getRequestHeaders().getFirst("GoCardless-Version");
    if (version == null || version.isBlank()) {
      throw ApiException.invalidApiUsage(
          400,
          "missing_version_header",
          "GoCardless-Version header is missing. Use GoCardless-Version: " + API_VERSION);
    }
    if (!API_VERSION.equals(version.trim())) {
      throw ApiException.invalidApiUsage(
          400,
          "version_not_found",
          "GoCardless-Version " + version + " is not a valid API version; use " + API_VERSION);
    }

    Router.Match match = router.match(method, path);
    if (match == null) {
      throw ApiException.invalidApiUsage(
          404, "path_not_found", "No route matches " + method + " " + path);
    }
    if (token.readOnly() && !"GET".equals(method)) {
      throw ApiException.invalidApiUsage(
          403,
          "insufficient_permissions",
          "The access token you are using has read-only access to this organisation");
    }

    JsonNode body = MissingNode.getInstance();
    if (raw.length > 0 && !"GET".equals(method)) {
      try {
        body = mapper.readTree(raw);
      } catch (JacksonException e) {
        throw ApiException.invalidApiUsage(
            400,
            "invalid_document_structure",
            "Invalid document structure: the request body is not valid JSON");
      }
      if (body == null || !body.isObject()) {
        throw ApiException.invalidApiUsage(
            400, "invalid_document_structure", "Invalid document structure");
      }
    }
    ApiRequest request =
        new ApiRequest(
            method,
            path,
            match.params(),
            Web.query(exchange),
            body,
            raw,
            token,
            requestId,
            exchange.getRequestHeaders().getFirst("Idempotency-Key"));
    Map<String, String> source = new LinkedHashMap<>();
    source.put("type", token.viaApp() ? "app" : "access_token");
    source.put("name", token.viaApp() ? appName : "Simulator access token");
    return state.locked(
        () -> state.asCaller(source, () -> match.route().handler().handle(request)));
  }

  private AccessToken authenticate(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      AccessToken token = state.tokens.get(authorization.substring(7).trim());
      if (token != null) {
        return token;
      }
    }
    throw ApiException.invalidApiUsage(401, "unauthorized", "Unauthorized");
  }

  private void rateLimit(AccessToken token, Map<String, String> responseHeaders) {
    Window window = windows.computeIfAbsent(token.token(), t -> new Window());
    long now = System.currentTimeMillis();
    int remaining;
    long reset;
    boolean exceeded;
    synchronized (window) {
      if (now - window.startMillis >= rateWindow.toMillis()) {
        window.startMillis = now;
        window.count = 0;
      }
      window.count++;
      exceeded = window.count > rateLimit;
      remaining = Math.max(0, rateLimit - window.count);
      reset = window.startMillis + rateWindow.toMillis();
    }
    responseHeaders.put("RateLimit-Limit", Integer.toString(rateLimit));
    responseHeaders.put("RateLimit-Remaining", Integer.toString(remaining));
    responseHeaders.put("RateLimit-Reset", HTTP_DATE.format(Instant.ofEpochMilli(reset)));
    if (exceeded) {
      throw ApiException.invalidApiUsage(429, "rate_limit_exceeded", "Rate limit exceeded");
    }
  }

  /** Resets every rate-limit window (used by tests between scenarios). */
  public void resetRateLimits() {
    windows.clear();
  }

  /** Error body per docs/gocardless/API.md §1.7 (and examples 14–17). */
  public static Map<String, Object> errorBody(ApiException e, String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put(
        "documentation_url",
        "https://developer.gocardless.com/api-reference#" + e.documentationAnchor());
    error.put("message", e.getMessage());
    error.put("type", e.type());
    error.put("code", e.status());
    List<Object> errors = new ArrayList<>();
    for (ApiException.Detail d : e.errors()) {
      Map<String, Object> item = new LinkedHashMap<>();
      if (d.reason() != null) {
        item.put("reason", d.reason());
      }
      item.put("message", d.message());
      if (d.field() != null) {
        item.put("field", d.field());
      }
      if (d.requestPointer() != null) {
        item.put("request_pointer", d.requestPointer());
      }
      if (d.links() != null) {
        item.put("links", d.links());
      }
      errors.add(item);
    }
    error.put("errors", errors);
    error.put("request_id", requestId);
    return ApiResponse.envelope("error", error);
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
