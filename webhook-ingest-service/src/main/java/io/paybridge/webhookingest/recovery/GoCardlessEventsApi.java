package io.paybridge.webhookingest.recovery;

import com.gocardless.GoCardlessClient;
import com.gocardless.http.HttpClient;
import com.gocardless.http.ListRequest;
import com.gocardless.http.ListResponse;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import io.paybridge.platform.gocardless.GoCardless;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads GoCardless's events API ({@code GET /events}, docs/gocardless/API.md §5.4) for a merchant,
 * one page at a time, with the official client and the platform's resilience ({@link GoCardless}:
 * the merchant's token from oauth-service, retries of reads, rate limits, the circuit breaker).
 *
 * <p>The client's own {@code events().list()} reads each event into its typed {@code Event}, which
 * drops fields it does not know and turns enum values it does not know into {@code UNKNOWN}; a
 * recovered event would then differ from the same event delivered by webhook. So the request here
 * is the client's {@link ListRequest} asking for plain JSON objects: the same HTTP call, headers,
 * authentication and error handling, and every field kept as GoCardless sent it.
 *
 * <p>Filters: {@code created_at[gte]} and {@code created_at[lt]}, which GoCardless documents, and
 * the {@code after} cursor of each page for the next (GoCardless lists newest first, and {@code
 * meta.cursors.after} is {@code null} on the last page).
 */
@Component
@RecoveryEnabled
class GoCardlessEventsApi {

  // The client keeps its HttpClient to itself (getHttpClient() is package-private); the request
  // type needs it. Looked up once at start-up, so a client version without it fails there.
  private static final Method HTTP_CLIENT = httpClientAccessor();

  private final GoCardless gocardless;

  GoCardlessEventsApi(GoCardless gocardless) {
    this.gocardless = gocardless;
  }

  /**
   * One page of the organisation's events created in {@code [from, until)}, newest first.
   *
   * @param merchantId the merchant whose token reads them
   * @param after the previous page's cursor, or {@code null} for the first page
   * @throws io.paybridge.platform.gocardless.GoCardlessFailure when GoCardless refuses or cannot be
   *     reached (after the platform's retries of a read)
   */
  Page page(String merchantId, Instant from, Instant until, String after, int limit) {
    ListResponse<JsonObject> response =
        gocardless.read(
            merchantId,
            client -> new EventsPage(httpClient(client), from, until, after, limit).execute());
    // JsonElement.toString() writes compact JSON without HTML escaping: the event's fields and
    // values as GoCardless sent them (not its bytes: the spacing may differ).
    List<JsonObject> items = response.getItems();
    String newest = null;
    if (!items.isEmpty()
        && items.getFirst().get("id") instanceof JsonPrimitive id
        && id.isString()) {
      newest = id.getAsString();
    }
    return new Page(items.stream().map(JsonObject::toString).toList(), newest, response.getAfter());
  }

  /**
   * @param events the events' JSON objects, newest first
   * @param newestEventId the first event's id, when it has one
   * @param after the cursor of the next page, {@code null} on the last
   */
  record Page(List<String> events, String newestEventId, String after) {}

  private static HttpClient httpClient(GoCardlessClient client) {
    try {
      return (HttpClient) HTTP_CLIENT.invoke(client);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("The GoCardless client's HTTP client cannot be read", e);
    }
  }

  private static Method httpClientAccessor() {
    try {
      Method method = GoCardlessClient.class.getDeclaredMethod("getHttpClient");
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "This version of gocardless-pro has no GoCardlessClient.getHttpClient()", e);
    }
  }

  /** {@code GET /events} with a time range, read into JSON objects. */
  private static final class EventsPage extends ListRequest<ListResponse<JsonObject>, JsonObject> {

    private final Instant from;
    private final Instant until;

    EventsPage(HttpClient http, Instant from, Instant until, String after, int limit) {
      super(http, ListRequest.pagingExecutor());
      this.from = from;
      this.until = until;
      setAfter(after);
      setLimit(limit);
    }

    @Override
    protected Map<String, Object> getQueryParams() {
      Map<String, Object> params = new HashMap<>(super.getQueryParams());
      params.put("created_at[gte]", iso(from));
      params.put("created_at[lt]", iso(until));
      return params;
    }

    @Override
    protected String getPathTemplate() {
      return "events";
    }

    @Override
    protected String getEnvelope() {
      return "events";
    }

    @Override
    protected TypeToken<List<JsonObject>> getTypeToken() {
      return new TypeToken<>() {};
    }

    // GoCardless's timestamps: ISO-8601 UTC with milliseconds (API.md §1.3).
    private static String iso(Instant instant) {
      return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
  }
}
