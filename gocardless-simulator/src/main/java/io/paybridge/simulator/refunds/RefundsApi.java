package io.paybridge.simulator.refunds;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.payments.Payment;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /refunds}: request parsing over {@link Refunds}. */
public final class RefundsApi {
  private final State state;
  private final Refunds refunds;
  private final ResourceApi<Refund> api;

  public RefundsApi(State state, Refunds refunds) {
    this.state = state;
    this.refunds = refunds;
    this.api =
        ResourceApi.of(refunds.type)
            .links(r -> r.links)
            .creates(this::create)
            .updatesMetadata((r, metadata) -> r.metadata = metadata)
            .linkFilters("payment", "mandate")
            .filter(
                "refund_type",
                (r, value) -> "payment".equals(value) == (r.links.get("payment") != null));
  }

  public ResourceApi<Refund> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private Refund create(ApiRequest r) {
    JsonNode body = r.envelope("refunds");
    ApiException.Validation v = new ApiException.Validation("refunds");
    Payment payment = state.payments.linked(body, "payment", r.organisationId(), v);
    Long amount = Json.number(body, "amount");
    if (amount == null) {
      v.field("amount", "is required");
    } else if (amount <= 0) {
      v.field("amount", "must be greater than 0");
    }
    Long confirmation = Json.number(body, "total_amount_confirmation");
    if (confirmation != null && confirmation == Long.MIN_VALUE) {
      v.field("total_amount_confirmation", "must be a number");
    }
    String reference = Json.text(body, "reference");
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    return refunds.create(payment, amount, confirmation, reference, metadata);
  }
}
