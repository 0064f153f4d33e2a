package io.paybridge.simulator.customers;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code /customers} and {@code /customer_bank_accounts}: request parsing over {@link Customers}.
 */
public final class CustomersApi {
  private final State state;
  private final Customers customers;
  private final ResourceApi<Customer> customersApi;
  private final ResourceApi<CustomerBankAccount> bankAccountsApi;

  public CustomersApi(State state, Customers customers) {
    this.state = state;
    this.customers = customers;
    this.customersApi =
        ResourceApi.of(customers.customers).creates(this::createCustomer).updates(this::update);
    this.bankAccountsApi =
        ResourceApi.of(customers.bankAccounts)
            .links(a -> a.links)
            .creates(this::createBankAccount)
            .updatesMetadata((a, metadata) -> a.metadata = metadata)
            .action("disable", (a, r) -> customers.disable(a))
            .linkFilters("customer")
            .filter("enabled", (a, value) -> Boolean.parseBoolean(value) == a.enabled);
  }

  public ResourceApi<Customer> customers() {
    return customersApi;
  }

  public void routes(Router router, Idempotency idempotency) {
    customersApi.routes(router, idempotency);
    router.add(
        "DELETE",
        "/customers/:identity",
        r -> {
          Customer c = customersApi.find(r);
          state.customers.remove(c.id);
          return ApiResponse.ok("customers", c);
        });
    bankAccountsApi.routes(router, idempotency);
  }

  private Customer createCustomer(ApiRequest r) {
    JsonNode body = r.envelope("customers");
    ApiException.Validation v = new ApiException.Validation("customers");
    Customer c = new Customer();
    Customers.applyCustomerFields(c, body, v);
    Map<String, String> metadata = Json.metadata(body, null, v);
    if ((c.givenName == null || c.familyName == null) && c.companyName == null) {
      v.field("company_name", "must be present unless given_name and family_name are provided");
    }
    v.throwIfInvalid();
    c.id = state.ids.next("CU");
    c.createdAt = state.nowIso();
    c.organisationId = r.organisationId();
    if (metadata != null) {
      c.metadata = metadata;
    }
    return state.customers.add(c);
  }

  private void update(Customer c, JsonNode body) {
    ApiException.Validation v = new ApiException.Validation("customers");
    Customer copy = new Customer();
    Customers.applyCustomerFields(copy, body, v);
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    Customers.applyCustomerFields(c, body, v);
    if (metadata != null) {
      c.metadata = metadata;
    }
  }

  private CustomerBankAccount createBankAccount(ApiRequest r) {
    JsonNode body = r.envelope("customer_bank_accounts");
    ApiException.Validation v = new ApiException.Validation("customer_bank_accounts");
    Customer customer = state.customers.linked(body, "customer", r.organisationId(), v);
    CustomerBankAccount a = customers.bankAccountFrom(body, "customer_bank_accounts", v);
    v.throwIfInvalid();
    CustomerBankAccount existing = customers.duplicateOf(a, customer);
    if (existing != null) {
      throw ApiException.bankAccountExists(existing.id);
    }
    return customers.register(a, customer);
  }
}
