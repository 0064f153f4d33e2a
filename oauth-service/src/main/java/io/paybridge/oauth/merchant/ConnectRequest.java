package io.paybridge.oauth.merchant;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.regex.Pattern;

/**
 * A team's request to connect a merchant; every field is optional and only pre-fills GoCardless's
 * sign-up form.
 *
 * @param email the merchant's email address
 * @param companyName the merchant's company name
 * @param countryCode ISO 3166-1 alpha-2
 * @param initialView which GoCardless screen to show first
 */
@Schema(name = "ConnectRequest")
public record ConnectRequest(
    String email, String companyName, String countryCode, InitialView initialView) {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  public ConnectRequest {
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw new IllegalArgumentException("email is not an email address");
    }
    if (companyName != null && companyName.length() > 200) {
      throw new IllegalArgumentException("companyName is longer than 200 characters");
    }
    if (countryCode != null && !COUNTRY.matcher(countryCode).matches()) {
      throw new IllegalArgumentException("countryCode must be an ISO 3166-1 alpha-2 code (GB)");
    }
  }

  static ConnectRequest empty() {
    return new ConnectRequest(null, null, null, null);
  }

  /** GoCardless's {@code initial_view}. */
  public enum InitialView {
    SIGNUP,
    LOGIN;

    @JsonValue
    public String wire() {
      return name().toLowerCase();
    }
  }
}
