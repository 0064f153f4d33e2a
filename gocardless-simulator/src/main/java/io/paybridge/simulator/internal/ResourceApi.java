package io.paybridge.simulator.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The declaration of one API resource: its envelope, store, rendering, list filters, create, update
 * and actions. From it come the routes every GoCardless resource shares (docs/gocardless/API.md
 * §1.3–1.6: {@code POST /<envelope>} idempotent create, {@code GET /<envelope>} with cursors and
 * {@code created_at[…]}, {@code GET|PUT /<envelope>/:identity}, {@code POST
 * /<envelope>/:identity/actions/<name>}). A resource is then its state machine (which emits its
 * events through its {@link ResourceType}) plus one of these.
 */
public final class ResourceApi<T extends Resource> {

  /** A list filter: does {@code resource} match the query parameter's {@code value}? */
  @FunctionalInterface
  public interface Filter<T> {
    boolean test(T resource, String value);
  }

  /** An action on one resource ({@code POST /<envelope>/:identity/actions/<name>}). */
  @FunctionalInterface
  public interface Action<T> {
    T apply(T resource, ApiRequest request);
  }

  private final ResourceType<T> type;
  private final String envelope;
  private final Registry<T> registry;
  private Function<T, Object> render = t -> t;
  private Function<T, Map<String, String>> links = t -> Map.of();
  private final Map<String, Filter<T>> filters = new LinkedHashMap<>();
  private Consumer<ApiRequest> listCheck = r -> {};
  private BiFunction<ApiRequest, List<T>, List<T>> listOrder = (r, items) -> items;
  private final Map<String, Function<ApiRequest, T>> creates = new LinkedHashMap<>();
  private BiConsumer<T, JsonNode> update;
  private final Map<String, Action<T>> actions = new LinkedHashMap<>();
  private boolean listed = true;

  private ResourceApi(ResourceType<T> type) {
    this.type = type;
    this.envelope = type.envelope();
    this.registry = type.registry();
  }

  /** Declares the API of a resource type (its envelope is its path). */
  public static <T extends Resource> ResourceApi<T> of(ResourceType<T> type) {
    return new ResourceApi<>(type);
  }

  /** How the resource is shown on the wire (default: as stored). */
  public ResourceApi<T> render(Function<T, Object> render) {
    this.render = render;
    return this;
  }

  /** The resource's {@code links}, for {@link #linkFilters}. */
  public ResourceApi<T> links(Function<T, Map<String, String>> links) {
    this.links = links;
    return this;
  }

  public ResourceApi<T> filter(String param, Filter<T> filter) {
    filters.put(param, filter);
    return this;
  }

  /** Filters {@code ?<name>=ID} matching {@code links.<name>}. */
  public ResourceApi<T> linkFilters(String... names) {
    for (String name : names) {
      filter(name, (t, value) -> value.equals(links.apply(t).get(name)));
    }
    return this;
  }

  /** A filter by a field that takes a comma-separated list ({@code status=active,paused}). */
  public ResourceApi<T> anyOfFilter(String param, Function<T, String> field) {
    return filter(param, (t, value) -> Arrays.asList(value.split(",")).contains(field.apply(t)));
  }

  /** No {@code GET /<envelope>} (GoCardless has no list for this resource). */
  public ResourceApi<T> unlisted() {
    this.listed = false;
    return this;
  }

  /** Validates a list request's query before filtering (e.g. filters that exclude each other). */
  public ResourceApi<T> listCheck(Consumer<ApiRequest> check) {
    this.listCheck = check;
    return this;
  }

  /** Reorders the filtered list (default: newest first). */
  public ResourceApi<T> listOrder(BiFunction<ApiRequest, List<T>, List<T>> order) {
    this.listOrder = order;
    return this;
  }

  /** {@code POST /<envelope>}: an idempotent create (§1.6). */
  public ResourceApi<T> creates(Function<ApiRequest, T> create) {
    return creates("", create);
  }

  /** {@code POST /<envelope><subpath>}: another idempotent create (its own idempotency keys). */
  public ResourceApi<T> creates(String subpath, Function<ApiRequest, T> create) {
    creates.put(subpath, create);
    return this;
  }

  /** {@code PUT /<envelope>/:identity} with the request's envelope object. */
  public ResourceApi<T> updates(BiConsumer<T, JsonNode> update) {
    this.update = update;
    return this;
  }

  /** {@code PUT /<envelope>/:identity} that changes only {@code metadata} (validated, §1.3). */
  public ResourceApi<T> updatesMetadata(BiConsumer<T, Map<String, String>> set) {
    return updates(
        (t, body) -> {
          Map<String, String> metadata = Json.validMetadata(body, envelope);
          if (metadata != null) {
            set.accept(t, metadata);
          }
        });
  }

  public ResourceApi<T> action(String name, Action<T> action) {
    actions.put(name, action);
    return this;
  }

  public ResourceType<T> type() {
    return type;
  }

  public void routes(Router router, Idempotency idempotency) {
    String path = "/" + envelope;
    creates.forEach(
        (subpath, create) ->
            router.add(
                "POST",
                path + subpath,
                r ->
                    idempotency.create(
                        r, envelope, () -> create.apply(r), this::renderById, render)));
    if (listed) {
      router.add("GET", path, this::list);
    }
    router.add("GET", path + "/:identity", r -> ok(find(r)));
    if (update != null) {
      router.add(
          "PUT",
          path + "/:identity",
          r -> {
            T t = find(r);
            update.accept(t, r.envelope(envelope));
            return ok(t);
          });
    }
    actions.forEach(
        (name, action) ->
            router.add(
                "POST", path + "/:identity/actions/" + name, r -> ok(action.apply(find(r), r))));
  }

  public T find(ApiRequest r) {
    return registry.find(r.organisationId(), r.id());
  }

  public ApiResponse ok(T t) {
    return ApiResponse.ok(envelope, render.apply(t));
  }

  /** The rendered resource, or null if there is none (events' {@code include}). */
  public Object renderById(String id) {
    T t = id == null ? null : registry.get(id);
    return t == null ? null : render.apply(t);
  }

  public ApiResponse list(ApiRequest r) {
    listCheck.accept(r);
    Map<String, String> given = new LinkedHashMap<>();
    for (String param : filters.keySet()) {
      String value = r.queryParam(param);
      if (value != null) {
        given.put(param, value);
      }
    }
    List<T> items =
        registry.list(
            t -> {
              if (!t.organisationId.equals(r.organisationId())
                  || !Pagination.inRange(r, "created_at", t.createdAt)) {
                return false;
              }
              for (Map.Entry<String, String> e : given.entrySet()) {
                if (!filters.get(e.getKey()).test(t, e.getValue())) {
                  return false;
                }
              }
              return true;
            });
    return ApiResponse.of(
        200, Pagination.page(envelope, listOrder.apply(r, items), r, render::apply));
  }
}
