package io.paybridge.simulator.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * One authenticated API call, as the route handlers see it.
 *
 * @param method HTTP method
 * @param path request path without query
 * @param pathParams values of {@code :name} segments
 * @param query decoded query parameters (bracket keys such as {@code created_at[gt]} kept
 *     literally)
 * @param body parsed JSON body ({@link MissingNode} when there is none)
 * @param rawBody the body bytes as received
 * @param token the access token that authenticated the call
 * @param requestId the request id echoed in errors and {@code x-request-id}
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, String> query,
    JsonNode body,
    byte[] rawBody,
    AccessToken token,
    String requestId,
    String idempotencyKey) {

  public String organisationId() {
    return token.organisationId();
  }

  public String id() {
    return pathParams.get("identity");
  }

  public String queryParam(String name) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The object inside the request envelope ({@code {"payments": {...}}}); a missing envelope is an
   * {@code invalid_document_structure} error.
   */
  public JsonNode envelope(String name) {
    JsonNode node = body.get(name);
    if (node == null || !node.isObject()) {
      throw ApiException.invalidApiUsage(
          400,
          "invalid_document_structure",
          "Invalid document structure: expected a top-level \"" + name + "\" object");
    }
    return node;
  }

  /**
   * The {@code data} object of an action; the Java client always sends one, other clients may not.
   */
  public JsonNode data() {
    JsonNode node = body.get("data");
    return node == null || !node.isObject() ? MissingNode.getInstance() : node;
  }
}
