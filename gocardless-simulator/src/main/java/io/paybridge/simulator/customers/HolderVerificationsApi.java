package io.paybridge.simulator.customers;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /bank_account_holder_verifications}, {@code GET /:id}: Confirmation of Payee on a
 * customer bank account, answered at once ({@code completed}). The simulated bank holds the
 * customer's own name (given and family name, or company name): the account holder name matching it
 * is {@code full_match}, sharing a word {@code partial_match} (with {@code actual_account_name}),
 * nothing in common {@code no_match}; a customer without a name, or an account outside the UK
 * (Confirmation of Payee is a UK scheme), {@code unable_to_match}.
 */
public final class HolderVerificationsApi {
  private final State state;
  private final ResourceApi<HolderVerification> api;

  public HolderVerificationsApi(State state) {
    this.state = state;
    this.api =
        ResourceApi.of(
                new ResourceType<>(
                    state,
                    "bank_account_holder_verifications",
                    "bank_account_holder_verification",
                    state.holderVerifications,
                    v -> null))
            .creates(this::create)
            .unlisted();
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private HolderVerification create(ApiRequest r) {
    JsonNode body = r.envelope("bank_account_holder_verifications");
    ApiException.Validation v = new ApiException.Validation("bank_account_holder_verifications");
    if (!"confirmation_of_payee".equals(Json.text(body, "type"))) {
      v.field("type", "must be confirmation_of_payee");
    }
    CustomerBankAccount account =
        state.bankAccounts.linked(body, "bank_account", r.organisationId(), v);
    v.throwIfInvalid();
    Customer customer = state.customers.get(account.links.get("customer"));
    HolderVerification h = new HolderVerification();
    h.id = state.ids.next("BAHV");
    h.createdAt = state.nowIso();
    h.organisationId = r.organisationId();
    String match =
        customer == null || !"GB".equals(account.countryCode)
            ? "cannot_perform_verification"
            : Customers.nameMatch(customer, account.accountHolderName);
    h.result =
        switch (match) {
          case "full" -> "full_match";
          case "close" -> "partial_match";
          case "no_match" -> "no_match";
          default -> "unable_to_match";
        };
    if ("partial_match".equals(h.result)) {
      h.actualAccountName = heldName(customer);
    }
    return state.holderVerifications.add(h);
  }

  private static String heldName(Customer c) {
    String name =
        c.companyName != null
            ? c.companyName
            : ((c.givenName == null ? "" : c.givenName)
                    + " "
                    + (c.familyName == null ? "" : c.familyName))
                .trim();
    return name.toUpperCase(Locale.ROOT);
  }
}
