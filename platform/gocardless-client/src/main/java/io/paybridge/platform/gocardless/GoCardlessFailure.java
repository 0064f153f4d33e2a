package io.paybridge.platform.gocardless;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What can go wrong when calling GoCardless, whatever the official client threw: a stable taxonomy
 * that services map to their answers (HTTP problems, consumer retries). Messages never contain a
 * token.
 */
public abstract sealed class GoCardlessFailure extends RuntimeException {

  private final String requestId;

  GoCardlessFailure(String message, String requestId, Throwable cause) {
    super(message, cause);
    this.requestId = requestId;
  }

  /** GoCardless's {@code request_id} of the failed call, when it answered. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** One field GoCardless refused, as {@code errors[]} names it. */
  public record FieldError(String field, String message, String requestPointer) {}

  /** 422 {@code validation_failed}: the request's values were refused, field by field. */
  public static final class ValidationFailed extends GoCardlessFailure {
    private final List<FieldError> fields;

    public ValidationFailed(
        String message, List<FieldError> fields, String requestId, Throwable cause) {
      super(message, requestId, cause);
      this.fields = List.copyOf(fields);
    }

    public List<FieldError> fields() {
      return fields;
    }
  }

  /**
   * 409 {@code invalid_state} (or a state reason GoCardless sends as a validation error): the
   * resource cannot do this now, e.g. {@code mandate_is_inactive}, {@code cancellation_failed},
   * {@code retry_failed}, {@code bank_account_exists}.
   */
  public static final class InvalidState extends GoCardlessFailure {
    private final String reason;
    private final Map<String, String> links;

    public InvalidState(
        String message,
        String reason,
        Map<String, String> links,
        String requestId,
        Throwable cause) {
      super(message, requestId, cause);
      this.reason = reason;
      this.links =
          links == null
              ? Map.of()
              : links.entrySet().stream()
                  .filter(e -> e.getKey() != null && e.getValue() != null)
                  .collect(
                      java.util.stream.Collectors.toUnmodifiableMap(
                          Map.Entry::getKey, Map.Entry::getValue));
    }

    /** GoCardless's reason, e.g. {@code cancellation_failed}; {@code null} if none was sent. */
    public String reason() {
      return reason;
    }

    public Map<String, String> links() {
      return links;
    }
  }

  /**
   * A create was refused because its idempotency key was used before ({@code
   * idempotent_creation_conflict}): the resource created then is {@link #conflictingResourceId()}.
   * The caller decides whether it is the one it asked for.
   */
  public static final class IdempotencyConflict extends GoCardlessFailure {
    private final String conflictingResourceId;

    public IdempotencyConflict(String conflictingResourceId, String requestId, Throwable cause) {
      super(
          "A resource was already created with this idempotency key: " + conflictingResourceId,
          requestId,
          cause);
      this.conflictingResourceId = conflictingResourceId;
    }

    public String conflictingResourceId() {
      return conflictingResourceId;
    }
  }

  /** 404: no such resource for this merchant. */
  public static final class NotFound extends GoCardlessFailure {
    public NotFound(String message, String requestId, Throwable cause) {
      super(message, requestId, cause);
    }
  }

  /**
   * The merchant's token is refused (401 twice, or 403 on an app without access): the merchant has
   * to connect again.
   */
  public static final class ReconnectionRequired extends GoCardlessFailure {
    public ReconnectionRequired(String message, String requestId, Throwable cause) {
      super(message, requestId, cause);
    }
  }

  /** oauth-service holds no token for the merchant: it is not (or no longer) connected. */
  public static final class MerchantNotConnected extends GoCardlessFailure {
    public MerchantNotConnected(String merchantId) {
      super("Merchant " + merchantId + " is not connected", null, null);
    }
  }

  /** A failure that passes with time: try again after {@link #retryAfter()}. */
  public abstract static sealed class Temporary extends GoCardlessFailure
      permits RateLimited, Unavailable {
    private final Duration retryAfter;

    Temporary(String message, Duration retryAfter, String requestId, Throwable cause) {
      super(message, requestId, cause);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * GoCardless's rate limit for this merchant is used up (a 429, or the client's own limit that
   * follows {@code RateLimit-*}): nothing was sent, or GoCardless refused it; after {@link
   * #retryAfter()} ({@code RateLimit-Reset}) it may pass.
   */
  public static final class RateLimited extends Temporary {
    public RateLimited(String message, Duration retryAfter, String requestId, Throwable cause) {
      super(message, retryAfter, requestId, cause);
    }
  }

  /**
   * GoCardless (or oauth-service) cannot be reached or failed (5xx, timeout, connection refused,
   * circuit open, too many calls in flight for the merchant). Whether a create happened is unknown;
   * a create with an idempotency key can be repeated safely.
   */
  public static final class Unavailable extends GoCardlessFailure.Temporary {
    public Unavailable(String message, Duration retryAfter, String requestId, Throwable cause) {
      super(message, retryAfter, requestId, cause);
    }
  }

  /** GoCardless answered something the client could not read, or refused the call as malformed. */
  public static final class Rejected extends GoCardlessFailure {
    private final int status;

    public Rejected(String message, int status, String requestId, Throwable cause) {
      super(message, requestId, cause);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
