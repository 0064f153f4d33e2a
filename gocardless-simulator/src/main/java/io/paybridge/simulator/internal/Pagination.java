package io.paybridge.simulator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cursor pagination as GoCardless does it (docs/gocardless/API.md §1.4): {@code after}/{@code
 * before} ids, {@code limit} ≤ 500.
 */
public final class Pagination {
  private Pagination() {}

  public static int limit(ApiRequest request) {
    String value = request.queryParam("limit");
    if (value == null) {
      return 50;
    }
    int limit;
    try {
      limit = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 500) {
      new ApiException.Validation("query")
          .field("limit", "must be a number between 1 and 500")
          .throwIfInvalid();
    }
    return limit;
  }

  /**
   * One page of {@code newestFirst}, rendered as {@code {"<envelope>": [...], "meta": {"cursors":
   * ..., "limit": n}}}.
   */
  public static <T extends Resource> Map<String, Object> page(
      String envelope, List<T> newestFirst, ApiRequest request, Function<T, Object> render) {
    int limit = limit(request);
    String after = request.queryParam("after");
    String before = request.queryParam("before");
    int start = 0;
    int end = newestFirst.size();
    if (after != null) {
      start = indexOf(newestFirst, after) + 1;
      end = Math.min(newestFirst.size(), start + limit);
    } else if (before != null) {
      end = indexOf(newestFirst, before);
      start = Math.max(0, end - limit);
    } else {
      end = Math.min(newestFirst.size(), limit);
    }
    List<Object> items = new ArrayList<>();
    for (int i = start; i < end; i++) {
      items.add(render.apply(newestFirst.get(i)));
    }
    Map<String, Object> cursors = new LinkedHashMap<>();
    cursors.put("before", start > 0 && end > start ? newestFirst.get(start).id : null);
    cursors.put(
        "after", end < newestFirst.size() && end > start ? newestFirst.get(end - 1).id : null);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("cursors", cursors);
    meta.put("limit", limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(envelope, items);
    body.put("meta", meta);
    return body;
  }

  private static <T extends Resource> int indexOf(List<T> items, String id) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).id.equals(id)) {
        return i;
      }
    }
    throw ApiException.invalidApiUsage(
        400, "invalid_cursor", "The cursor is not valid for this list");
  }

  /**
   * Applies {@code created_at[gt|gte|lt|lte]} filters (and any other {@code <field>[op]} on a
   * timestamp).
   */
  public static boolean inRange(ApiRequest request, String field, String isoValue) {
    if (isoValue == null) {
      return request.queryParam(field + "[gt]") == null
          && request.queryParam(field + "[gte]") == null
          && request.queryParam(field + "[lt]") == null
          && request.queryParam(field + "[lte]") == null;
    }
    return compare(request.queryParam(field + "[gt]"), isoValue, c -> c > 0)
        && compare(request.queryParam(field + "[gte]"), isoValue, c -> c >= 0)
        && compare(request.queryParam(field + "[lt]"), isoValue, c -> c < 0)
        && compare(request.queryParam(field + "[lte]"), isoValue, c -> c <= 0);
  }

  private static boolean compare(
      String bound, String value, java.util.function.IntPredicate accept) {
    if (bound == null) {
      return true;
    }
    int comparison;
    if (bound.length() == 10 && value.length() == 10) {
      comparison = value.compareTo(bound);
    } else {
      try {
        comparison = Instant.parse(value).compareTo(Instant.parse(bound));
      } catch (RuntimeException e) {
        throw ApiException.invalidApiUsage(
            400, "invalid_filter", "Invalid timestamp in filter: " + bound);
      }
    }
    return accept.test(comparison);
  }
}
