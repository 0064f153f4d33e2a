package io.paybridge.simulator.billing;

import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The simulated banks a payer can pick (open banking institutions). */
public final class Institutions {

  /** One institution. */
  public record Institution(String id, String name, String countryCode) {
    public Map<String, Object> render() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("name", name);
      m.put("country_code", countryCode);
      m.put("logo_url", "https://assets.gocardless.com/icons/" + id + ".png");
      m.put("icon_url", "https://assets.gocardless.com/icons/" + id + "-icon.png");
      m.put("roles", List.of("can_initiate_payments"));
      m.put("status", "enabled");
      m.put("autocompletes_collect_bank_account", true);
      Map<String, Object> limits = new LinkedHashMap<>();
      limits.put("daily", new LinkedHashMap<>());
      limits.put("single", new LinkedHashMap<>());
      m.put("limits", limits);
      return m;
    }
  }

  public static final List<Institution> ALL =
      List.of(
          new Institution("monzo", "Monzo", "GB"),
          new Institution("barclays", "Barclays", "GB"),
          new Institution("hsbc", "HSBC", "GB"),
          new Institution("lloyds", "Lloyds Bank", "GB"),
          new Institution("natwest", "NatWest", "GB"),
          new Institution("santander_uk", "Santander UK", "GB"),
          new Institution("starling", "Starling Bank", "GB"),
          new Institution("ing_de", "ING Deutschland", "DE"),
          new Institution("deutsche_bank", "Deutsche Bank", "DE"),
          new Institution("bnp_paribas", "BNP Paribas", "FR"),
          new Institution("ing_nl", "ING Nederland", "NL"),
          new Institution("bank_of_ireland", "Bank of Ireland", "IE"));

  private Institutions() {}

  public static Institution find(String id) {
    for (Institution institution : ALL) {
      if (institution.id.equals(id)) {
        return institution;
      }
    }
    return null;
  }

  public static List<Institution> forCountry(String countryCode) {
    String country = countryCode == null ? "GB" : countryCode.toUpperCase(Locale.ROOT);
    return ALL.stream().filter(i -> i.countryCode.equals(country)).toList();
  }

  /** {@code GET /institutions} and {@code GET /billing_requests/:id/institutions} bodies. */
  public static ApiResponse list(ApiRequest r, String defaultCountry) {
    String country = r.queryParam("country_code");
    List<Institution> found = forCountry(country == null ? defaultCountry : country);
    String ids = r.queryParam("ids");
    String search = r.queryParam("search");
    List<Object> items = new ArrayList<>();
    for (Institution i : found) {
      if (ids != null && !Arrays.asList(ids.split(",")).contains(i.id)) {
        continue;
      }
      if (search != null
          && !i.name.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))) {
        continue;
      }
      items.add(i.render());
    }
    Map<String, Object> cursors = new LinkedHashMap<>();
    cursors.put("before", null);
    cursors.put("after", null);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("cursors", cursors);
    meta.put("limit", 50);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("institutions", items);
    body.put("meta", meta);
    return ApiResponse.of(200, body);
  }
}
