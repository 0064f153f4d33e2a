package io.paybridge.simulator.customers;

import io.paybridge.simulator.internal.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/** A customer ({@code CU...}). */
public class Customer extends Resource {
  public String email;
  public String givenName;
  public String familyName;
  public String companyName;
  public String addressLine1;
  public String addressLine2;
  public String addressLine3;
  public String city;
  public String region;
  public String postalCode;
  public String countryCode;
  public String language = "en";
  public String phoneNumber;
  public String danishIdentityNumber;
  public String swedishIdentityNumber;
  public Map<String, String> metadata = new LinkedHashMap<>();

  /** The subset embedded in a billing request's {@code resources.customer}. */
  public Map<String, Object> embedded() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("created_at", createdAt);
    m.put("email", email);
    m.put("given_name", givenName);
    m.put("family_name", familyName);
    m.put("company_name", companyName);
    m.put("language", language);
    m.put("phone_number", phoneNumber);
    m.put("metadata", metadata);
    return m;
  }
}
