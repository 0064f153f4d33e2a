package io.paybridge.simulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API error as GoCardless reports it: HTTP status (repeated as {@code error.code}), {@code
 * type}, message and {@code errors[]} (docs/gocardless/API.md §1.7).
 */
public final class ApiException extends RuntimeException {

  /** One {@code errors[]} element; {@code null} parts are left out of the body. */
  public record Detail(
      String reason,
      String message,
      String field,
      String requestPointer,
      Map<String, String> links) {}

  private final int status;
  private final String type;
  private final List<Detail> errors;
  private final String documentationAnchor;

  public ApiException(
      int status, String type, String message, String documentationAnchor, List<Detail> errors) {
    super(message);
    this.status = status;
    this.type = type;
    this.documentationAnchor = documentationAnchor;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public List<Detail> errors() {
    return errors;
  }

  public String documentationAnchor() {
    return documentationAnchor;
  }

  public static ApiException invalidApiUsage(int status, String reason, String message) {
    return new ApiException(
        status,
        "invalid_api_usage",
        message,
        reason,
        List.of(new Detail(reason, message, null, null, null)));
  }

  public static ApiException notFound() {
    return invalidApiUsage(404, "resource_not_found", "Resource not found");
  }

  public static ApiException invalidState(String reason, String message) {
    return new ApiException(
        422,
        "invalid_state",
        message,
        reason,
        List.of(new Detail(reason, message, null, null, null)));
  }

  public static ApiException idempotentCreationConflict(String conflictingId) {
    String message = "A resource has already been created with this idempotency key";
    Map<String, String> links = new LinkedHashMap<>();
    links.put("conflicting_resource_id", conflictingId);
    return new ApiException(
        409,
        "invalid_state",
        message,
        "idempotent_creation_conflict",
        List.of(new Detail("idempotent_creation_conflict", message, null, null, links)));
  }

  /**
   * A customer's second bank account with the same details (the duplicate bank account fixture:
   * 409, type {@code validation_failed}, reason {@code bank_account_exists}, {@code
   * links.customer_bank_account} = the existing account).
   */
  public static ApiException bankAccountExists(String existingId) {
    String message = "Bank account already exists";
    Map<String, String> links = new LinkedHashMap<>();
    links.put("customer_bank_account", existingId);
    return new ApiException(
        409,
        "validation_failed",
        message,
        "bank_account_exists",
        List.of(new Detail("bank_account_exists", message, null, null, links)));
  }

  /** Collects field errors, then throws a 422 {@code validation_failed} if there are any. */
  public static final class Validation {
    private final String envelope;
    private final List<Detail> errors = new ArrayList<>();

    public Validation(String envelope) {
      this.envelope = envelope;
    }

    public Validation field(String field, String message) {
      String pointer = "/" + envelope + "/" + field.replace('.', '/');
      String name = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
      errors.add(new Detail(null, message, name, pointer, null));
      return this;
    }

    public boolean hasErrors() {
      return !errors.isEmpty();
    }

    public void throwIfInvalid() {
      if (!errors.isEmpty()) {
        throw new ApiException(
            422, "validation_failed", "Validation failed", "validation_failed", errors);
      }
    }
  }
}
