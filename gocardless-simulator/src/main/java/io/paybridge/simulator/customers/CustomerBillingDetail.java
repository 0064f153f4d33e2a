package io.paybridge.simulator.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.util.ArrayList;
import java.util.List;

/** A customer billing detail ({@code CBD...}), only visible inside billing requests. */
public class CustomerBillingDetail extends Resource {
  public String addressLine1;
  public String addressLine2;
  public String addressLine3;
  public String city;
  public String region;
  public String postalCode;
  public String countryCode;
  public String swedishIdentityNumber;
  public String danishIdentityNumber;
  public String ipAddress;
  public List<String> schemes = new ArrayList<>();

  @JsonIgnore public String customerId;
}
