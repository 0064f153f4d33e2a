package io.paybridge.simulator.creditors;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import tools.jackson.databind.JsonNode;

/** {@code /creditors}: list, get, update (name and address). */
public final class CreditorsApi {
  private final ResourceApi<Creditor> api;

  public CreditorsApi(Creditors creditors) {
    this.api = ResourceApi.of(creditors.type).updates(CreditorsApi::update);
  }

  public ResourceApi<Creditor> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private static void update(Creditor c, JsonNode body) {
    ApiException.Validation v = new ApiException.Validation("creditors");
    String name = Json.text(body, "name");
    if (body.has("name") && (name == null || name.isBlank())) {
      v.field("name", "can't be blank");
    }
    v.throwIfInvalid();
    if (name != null) {
      c.name = name;
    }
    for (String f :
        new String[] {
          "address_line1", "address_line2", "address_line3", "city", "region", "postal_code"
        }) {
      if (body.has(f)) {
        String value = Json.text(body, f);
        switch (f) {
          case "address_line1" -> c.addressLine1 = value;
          case "address_line2" -> c.addressLine2 = value;
          case "address_line3" -> c.addressLine3 = value;
          case "city" -> c.city = value;
          case "region" -> c.region = value;
          default -> c.postalCode = value;
        }
      }
    }
    if (body.has("country_code")) {
      c.countryCode = Json.text(body, "country_code");
    }
  }
}
