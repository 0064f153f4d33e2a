package io.paybridge.billing.web;

import io.paybridge.billing.projection.Cursor;
import io.paybridge.billing.projection.ListQuery;
import java.time.Instant;

/** The list and create parameters every controller reads the same way. */
public final class ListParameters {

  private ListParameters() {}

  public static ListQuery query(
      String merchantId,
      String status,
      Instant createdFrom,
      Instant createdBefore,
      String after,
      int limit) {
    if (limit < 1 || limit > 200) {
      throw new ProblemException(ApiProblem.INVALID_REQUEST, "limit must be between 1 and 200");
    }
    Cursor cursor;
    try {
      cursor = after == null || after.isBlank() ? null : Cursor.decode(after);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ApiProblem.INVALID_REQUEST, e.getMessage());
    }
    return new ListQuery(merchantId, status, createdFrom, createdBefore, cursor, limit);
  }

  /** A team's Idempotency-Key: 1-255 visible characters. */
  public static void requireKey(String key) {
    if (key == null
        || key.isBlank()
        || key.length() > 255
        || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ProblemException(
          ApiProblem.IDEMPOTENCY_KEY_REQUIRED,
          "Idempotency-Key must be 1-255 visible ASCII characters, the same on every retry");
    }
  }
}
