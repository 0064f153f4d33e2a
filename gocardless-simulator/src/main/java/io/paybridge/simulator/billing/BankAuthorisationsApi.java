package io.paybridge.simulator.billing;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import tools.jackson.databind.JsonNode;

/** {@code POST /bank_authorisations}, {@code GET /bank_authorisations/:id}. */
public final class BankAuthorisationsApi {
  private final State state;
  private final BankAuthorisations authorisations;
  private final ResourceApi<BankAuthorisation> api;

  public BankAuthorisationsApi(State state, BankAuthorisations authorisations) {
    this.state = state;
    this.authorisations = authorisations;
    this.api = ResourceApi.of(authorisations.type).creates(this::create).unlisted();
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private BankAuthorisation create(ApiRequest r) {
    JsonNode body = r.envelope("bank_authorisations");
    ApiException.Validation v = new ApiException.Validation("bank_authorisations");
    BillingRequest brq =
        state.billingRequests.linked(body, "billing_request", r.organisationId(), v);
    v.throwIfInvalid();
    return authorisations.create(brq, Json.text(body, "redirect_uri"));
  }
}
