package io.paybridge.simulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a route handler answers: status, a body serialised as JSON, extra headers. */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

  public static ApiResponse ok(String envelope, Object resource) {
    return new ApiResponse(200, envelope(envelope, resource), Map.of());
  }

  public static ApiResponse created(String envelope, Object resource) {
    return new ApiResponse(201, envelope(envelope, resource), Map.of());
  }

  public static ApiResponse of(int status, Object body) {
    return new ApiResponse(status, body, Map.of());
  }

  public static Map<String, Object> envelope(String name, Object resource) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(name, resource);
    return body;
  }
}
