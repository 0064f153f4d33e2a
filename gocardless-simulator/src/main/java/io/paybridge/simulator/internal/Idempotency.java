package io.paybridge.simulator.internal;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on creates (docs/gocardless/API.md §1.6): a key that already created a
 * resource answers 409 {@code idempotent_creation_conflict} with {@code
 * links.conflicting_resource_id}, and never creates a second resource. A create that failed (4xx)
 * does not consume the key.
 */
public final class Idempotency {
  private final State state;
  private final boolean replaySameBody;

  public Idempotency(State state, boolean replaySameBody) {
    this.state = state;
    this.replaySameBody = replaySameBody;
  }

  public <T extends Resource> ApiResponse create(
      ApiRequest request,
      String envelope,
      Supplier<T> creator,
      Function<String, Object> renderExisting,
      Function<T, Object> render) {
    String key = request.idempotencyKey();
    if (key == null || key.isBlank()) {
      return ApiResponse.created(envelope, render.apply(creator.get()));
    }
    String scope = request.organisationId() + " " + request.path() + " " + key;
    State.IdempotentCreate previous = state.idempotency.get(scope);
    String fingerprint = request.body().toString();
    if (previous != null) {
      if (replaySameBody && previous.bodyFingerprint().equals(fingerprint)) {
        return new ApiResponse(
            201,
            ApiResponse.envelope(envelope, renderExisting.apply(previous.resourceId())),
            java.util.Map.of("Idempotent-Replayed", "true"));
      }
      throw ApiException.idempotentCreationConflict(previous.resourceId());
    }
    T created = creator.get();
    state.idempotency.put(scope, new State.IdempotentCreate(created.id, fingerprint));
    return ApiResponse.created(envelope, render.apply(created));
  }
}
