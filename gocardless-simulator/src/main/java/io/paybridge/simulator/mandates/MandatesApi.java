package io.paybridge.simulator.mandates;

import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /mandates}: request parsing over {@link Mandates}. */
public final class MandatesApi {
  private final State state;
  private final Mandates mandates;
  private final ResourceApi<Mandate> api;

  public MandatesApi(State state, Mandates mandates) {
    this.state = state;
    this.mandates = mandates;
    this.api =
        ResourceApi.of(mandates.type)
            .render(mandates::render)
            .links(m -> m.links)
            .creates(this::create)
            .updatesMetadata((m, metadata) -> m.metadata = metadata)
            .action(
                "cancel", (m, r) -> mandates.cancelFromApi(m, Json.validMetadata(r.data(), "data")))
            .action(
                "reinstate", (m, r) -> mandates.reinstate(m, Json.validMetadata(r.data(), "data")))
            .linkFilters("customer", "customer_bank_account", "creditor")
            .filter("reference", (m, value) -> value.equals(m.reference))
            .anyOfFilter("scheme", m -> m.scheme)
            .filter("mandate_type", (m, value) -> value.equals(m.mandateType))
            .anyOfFilter("status", m -> m.status);
  }

  public ResourceApi<Mandate> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private Mandate create(ApiRequest r) {
    JsonNode body = r.envelope("mandates");
    ApiException.Validation v = new ApiException.Validation("mandates");
    JsonNode links = Json.object(body, "links");
    String bankAccountId = links == null ? null : Json.text(links, "customer_bank_account");
    CustomerBankAccount account =
        bankAccountId == null ? null : state.bankAccounts.get(bankAccountId);
    if (account == null || !account.organisationId.equals(r.organisationId())) {
      v.field(
          "links.customer_bank_account", bankAccountId == null ? "is required" : "was not found");
    } else if (!account.enabled) {
      v.field("links.customer_bank_account", "is disabled");
    }
    String scheme = Json.text(body, "scheme");
    if (scheme == null && account != null) {
      scheme = Banks.schemeFor(account.currency);
    }
    if (scheme != null
        && account != null
        && !Banks.currencyOfScheme(scheme).equals(account.currency)) {
      v.field("scheme", "is not supported for a " + account.currency + " bank account");
    }
    Map<String, String> metadata = Json.metadata(body, null, v);
    String reference = Json.text(body, "reference");
    v.throwIfInvalid();
    Mandate m = mandates.create(r.organisationId(), account, scheme, reference, metadata, null);
    m.authorisationSource = Json.text(body, "authorisation_source");
    return m;
  }
}
