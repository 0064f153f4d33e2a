package io.paybridge.billing.projection;

import java.time.Instant;

/** The filters of a list: merchant, status, creation time range, cursor and page size (1-200). */
public record ListQuery(
    String merchantId,
    String status,
    Instant createdFrom,
    Instant createdBefore,
    Cursor after,
    int limit) {

  public ListQuery {
    if (limit < 1 || limit > 200) {
      throw new IllegalArgumentException("limit must be between 1 and 200");
    }
  }
}
