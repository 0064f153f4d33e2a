package io.paybridge.platform.testsupport.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests: no redirects followed, so every hop can be asserted. Every request
 * gives up after {@link #REQUEST_TIMEOUT}: a server that never answers fails the test that asked,
 * instead of holding the build until it is killed.
 */
public final class Http {

  /** Far longer than any answer takes on a loaded build machine. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Http() {}

  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String location() {
      return header("Location");
    }
  }

  public static JsonNode json(String body) {
    return JSON.readTree(body);
  }

  public static Response get(String url, String bearer) {
    return send(request(url, bearer).GET());
  }

  /** A GET sent from another local address (127.0.0.2, for example): another remote client. */
  public static Response getFrom(java.net.InetAddress localAddress, String url) {
    try (var client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .localAddress(localAddress)
            .build()) {
      return send(client, request(url, null).GET());
    }
  }

  /** A GET with {@code headers} sent from another local address (see {@link #getFrom}). */
  public static Response getFromWithHeaders(
      java.net.InetAddress localAddress, String url, Map<String, String> headers) {
    try (var client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .localAddress(localAddress)
            .build()) {
      var request = request(url, null).GET();
      headers.forEach(request::header);
      return send(client, request);
    }
  }

  public static Response getWithHeaders(String url, String bearer, Map<String, String> headers) {
    var request = request(url, bearer).GET();
    headers.forEach(request::header);
    return send(request);
  }

  public static Response delete(String url, String bearer) {
    return send(request(url, bearer).DELETE());
  }

  public static Response postJson(String url, String bearer, String json) {
    if (json == null) {
      return send(request(url, bearer).POST(HttpRequest.BodyPublishers.noBody()));
    }
    return send(
        request(url, bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public static Response putJson(String url, String bearer, String json) {
    return send(
        request(url, bearer)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public static Response postJsonWithHeaders(
      String url, String bearer, String json, Map<String, String> headers) {
    var request =
        request(url, bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request);
  }

  public static Response postForm(String url, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        request(url, null)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public static Map<String, String> query(String url) {
    var params = new LinkedHashMap<String, String>();
    String query = URI.create(url).getRawQuery();
    if (query == null) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(String url, String bearer) {
    var builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private static Response send(HttpRequest.Builder request) {
    return send(CLIENT, request);
  }

  private static Response send(HttpClient client, HttpRequest.Builder request) {
    var built = request.build();
    try {
      var response = client.send(built, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (HttpTimeoutException e) {
      throw new UncheckedIOException(
          built.method() + " " + built.uri() + ": no answer within " + REQUEST_TIMEOUT, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
