package io.paybridge.simulator.events;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /events} (filters, cursors, {@code include}) and {@code GET /events/:id}
 * (docs/gocardless/API.md §5.4).
 */
public final class EventsApi {
  /** Resource-id filters; at most one, and not combined with {@code resource_type}. */
  private static final List<String> RESOURCE_FILTERS =
      List.of(
          "billing_request",
          "creditor",
          "export",
          "instalment_schedule",
          "mandate",
          "outbound_payment",
          "payer_authorisation",
          "payment",
          "payment_account_transaction",
          "payout",
          "refund",
          "scheme_identifier",
          "subscription");

  private final State state;
  private final Map<String, Function<String, Object>> includes = new LinkedHashMap<>();

  /** {@code includable}: the resources {@code include} can name, by their link name. */
  public EventsApi(State state, List<ResourceApi<?>> includable) {
    this.state = state;
    for (ResourceApi<?> api : includable) {
      includes.put(api.type().link(), api::renderById);
    }
  }

  public void routes(Router router) {
    router.add("GET", "/events", this::list);
    router.add(
        "GET",
        "/events/:identity",
        r -> ApiResponse.ok("events", state.events.find(r.organisationId(), r.id())));
  }

  private ApiResponse list(ApiRequest r) {
    String resourceType = r.queryParam("resource_type");
    String action = r.queryParam("action");
    String include = r.queryParam("include");
    String parentEvent = r.queryParam("parent_event");
    String resourceFilter = null;
    String resourceId = null;
    ApiException.Validation v = new ApiException.Validation("query");
    for (String filter : RESOURCE_FILTERS) {
      String value = r.queryParam(filter);
      if (value != null) {
        if (resourceFilter != null) {
          v.field(filter, "can't be combined with " + resourceFilter);
        }
        resourceFilter = filter;
        resourceId = value;
      }
    }
    if (resourceFilter != null && resourceType != null) {
      v.field("resource_type", "can't be combined with a resource id filter");
    }
    if (include != null) {
      if (resourceType == null) {
        v.field("include", "requires resource_type");
      } else if (!includes.containsKey(include)) {
        v.field("include", "must be one of " + String.join(", ", includes.keySet()));
      }
    }
    v.throwIfInvalid();
    String filter = resourceFilter;
    String id = resourceId;
    List<Event> events =
        state.events.list(
            e ->
                e.organisationId.equals(r.organisationId())
                    && (resourceType == null || resourceType.equals(e.resourceType))
                    && (action == null || action.equals(e.action))
                    && (parentEvent == null || parentEvent.equals(e.links.get("parent_event")))
                    && (filter == null || id.equals(e.links.get(filter)))
                    && Pagination.inRange(r, "created_at", e.createdAt));
    Map<String, Object> body = Pagination.page("events", events, r, e -> e);
    if (include != null) {
      Set<String> ids = new LinkedHashSet<>();
      @SuppressWarnings("unchecked")
      List<Object> page = (List<Object>) body.get("events");
      for (Object o : page) {
        String linked = ((Event) o).links.get(include);
        if (linked != null) {
          ids.add(linked);
        }
      }
      List<Object> linked = new ArrayList<>();
      for (String linkedId : ids) {
        Object resource = includes.get(include).apply(linkedId);
        if (resource != null) {
          linked.add(resource);
        }
      }
      Map<String, Object> linkedBody = new LinkedHashMap<>();
      linkedBody.put(include.endsWith("s") ? include : include + "s", linked);
      body.put("linked", linkedBody);
    }
    return ApiResponse.of(200, body);
  }
}
