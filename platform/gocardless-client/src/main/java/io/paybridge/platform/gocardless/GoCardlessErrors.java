package io.paybridge.platform.gocardless;

import com.gocardless.errors.ApiError;
import com.gocardless.errors.AuthenticationException;
import com.gocardless.errors.GoCardlessApiException;
import com.gocardless.errors.GoCardlessInternalException;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.MalformedResponseException;
import com.gocardless.errors.PermissionException;
import com.gocardless.errors.RateLimitException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.http.GoCardlessNetworkException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the official client's exceptions (docs/gocardless/API.md §1.7, §7.4) onto {@link
 * GoCardlessFailure}. By the body's {@code code} first (as the client does), then by type.
 */
final class GoCardlessErrors {

  static final String IDEMPOTENT_CREATION_CONFLICT = "idempotent_creation_conflict";
  static final String CONFLICTING_RESOURCE_ID = "conflicting_resource_id";

  /** State reasons GoCardless has been seen to send with another error type (API.md §1.7). */
  private static final Set<String> STATE_REASONS = Set.of("bank_account_exists");

  private GoCardlessErrors() {}

  /**
   * @param rateLimitWait how long to wait after a 429 (from {@code RateLimit-Reset})
   * @param unavailableWait the {@code Retry-After} suggested for a 5xx or a network failure
   */
  static GoCardlessFailure map(
      RuntimeException e, Duration rateLimitWait, Duration unavailableWait) {
    if (e instanceof GoCardlessFailure failure) {
      return failure;
    }
    if (e instanceof GoCardlessNetworkException) {
      return new GoCardlessFailure.Unavailable(
          "GoCardless could not be reached: " + rootMessage(e), unavailableWait, null, e);
    }
    if (e instanceof MalformedResponseException malformed) {
      int status = malformed.getStatusCode();
      if (status >= 500) {
        return new GoCardlessFailure.Unavailable(
            "GoCardless answered " + status + " without an API error", unavailableWait, null, e);
      }
      return new GoCardlessFailure.Rejected(
          "GoCardless answered " + status + " with an unreadable body", status, null, e);
    }
    if (!(e instanceof GoCardlessApiException api)) {
      return new GoCardlessFailure.Unavailable(
          "GoCardless call failed: " + e.getClass().getSimpleName(), unavailableWait, null, e);
    }
    String requestId = api.getRequestId();
    List<ApiError> errors = api.getErrors() == null ? List.of() : api.getErrors();
    return switch (api) {
      case RateLimitException r ->
          new GoCardlessFailure.RateLimited(
              "GoCardless's rate limit for this merchant is used up", rateLimitWait, requestId, e);
      case AuthenticationException a ->
          new GoCardlessFailure.ReconnectionRequired(
              "GoCardless refused the merchant's token", requestId, e);
      case PermissionException p ->
          new GoCardlessFailure.ReconnectionRequired(
              "The merchant's token may not do this: " + api.getErrorMessage(), requestId, e);
      case GoCardlessInternalException i ->
          new GoCardlessFailure.Unavailable(
              "GoCardless failed (" + api.getCode() + ")", unavailableWait, requestId, e);
      case InvalidStateException s -> invalidState(api, errors, requestId);
      case ValidationFailedException v -> {
        var state =
            errors.stream()
                .filter(x -> x.getReason() != null && STATE_REASONS.contains(x.getReason()))
                .findFirst();
        if (state.isPresent()) {
          yield new GoCardlessFailure.InvalidState(
              state.get().getMessage(),
              state.get().getReason(),
              state.get().getLinks(),
              requestId,
              e);
        }
        yield new GoCardlessFailure.ValidationFailed(
            api.getErrorMessage(),
            errors.stream()
                .map(
                    x ->
                        new GoCardlessFailure.FieldError(
                            x.getField(), x.getMessage(), x.getRequestPointer()))
                .toList(),
            requestId,
            e);
      }
      default -> {
        if (api.getCode() == 404) {
          yield new GoCardlessFailure.NotFound(api.getErrorMessage(), requestId, e);
        }
        if (api.getCode() >= 500) {
          yield new GoCardlessFailure.Unavailable(
              "GoCardless failed (" + api.getCode() + ")", unavailableWait, requestId, e);
        }
        yield new GoCardlessFailure.Rejected(
            "GoCardless refused the call: " + api.getErrorMessage() + " " + reasons(errors),
            api.getCode(),
            requestId,
            e);
      }
    };
  }

  private static GoCardlessFailure invalidState(
      GoCardlessApiException api, List<ApiError> errors, String requestId) {
    for (ApiError error : errors) {
      if (IDEMPOTENT_CREATION_CONFLICT.equals(error.getReason())) {
        Map<String, String> links = error.getLinks() == null ? Map.of() : error.getLinks();
        return new GoCardlessFailure.IdempotencyConflict(
            links.get(CONFLICTING_RESOURCE_ID), requestId, api);
      }
    }
    ApiError first = errors.isEmpty() ? null : errors.getFirst();
    return new GoCardlessFailure.InvalidState(
        first != null && first.getMessage() != null ? first.getMessage() : api.getErrorMessage(),
        first == null ? null : first.getReason(),
        first == null ? Map.of() : first.getLinks(),
        requestId,
        api);
  }

  private static String reasons(List<ApiError> errors) {
    return errors.stream().map(ApiError::getReason).filter(r -> r != null).toList().toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }
}
